# frozen_string_literal: true

# A RuboCop cop for the peer timing in benchmarks/README.md: the same narrow check as the
# ast-grep peer rule (an HTTParty, Faraday or RestClient request with no `timeout` key), so
# RuboCop's own cost (start-up, parsing every file with the parser gem, one cop) can be timed
# on the same files. It is not part of workerlint.
module RuboCop
  module Cop
    module Peer
      class HttpWithoutTimeout < Base
        MSG = "HTTP request with no timeout"
        CLIENTS = %i[HTTParty Faraday RestClient].freeze
        VERBS = %i[get post put patch delete head].freeze

        def on_send(node)
          receiver = node.receiver
          return unless receiver&.const_type?
          return unless CLIENTS.include?(receiver.const_name&.to_sym)
          return unless VERBS.include?(node.method_name)

          timeout = node.arguments.any? do |arg|
            arg.hash_type? && arg.pairs.any? { |pair| pair.key.value.to_s.include?("timeout") if pair.key.respond_to?(:value) }
          end
          add_offense(node) unless timeout
        end
      end
    end
  end
end
