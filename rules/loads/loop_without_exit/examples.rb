# WL303 loop-without-exit: its examples (format: workerlint/app/examples.py)

# case: polling-loop-do (invalid)
class InboxPollWorker
  include Sidekiq::Job

  def perform
    loop do
  # ^^^^ `loop do` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      Inbox.fetch_new.each { |message| MessageWorker.perform_async(message.id) }
      sleep 5
    end
  end
end

# case: break-inside-a-nested-block (invalid)
# note: A break inside a nested block belongs to that block, not to the loop.
class ConsumerWorker
  include Sidekiq::Job

  def perform
    while true
  # ^^^^^ `while true` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      batch = Queue.receive
      batch.each do |message|
        break if message.poison?
        message.handle
      end
    end
  end
end

# case: break-inside-a-nested-loop (invalid)
# note: A break inside a nested loop belongs to the inner loop.
class PumpWorker
  include Sidekiq::Job

  def perform(pipe)
    until false
  # ^^^^^ `until false` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      while (line = pipe.gets)
        break if line.empty?
        Pump.write(line)
      end
    end
  end
end

# case: loop-braces-block (invalid)
class HeartbeatWorker
  include Sidekiq::Job

  def perform
    loop { Heartbeat.beat!; sleep 10 }
  # ^^^^ `loop { }` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
  end
end

# case: while-one (invalid)
# note: `while 1` is endless too (any literal but false and nil is true).
class TailWorker
  include Sidekiq::Job

  def perform(path)
    while 1
  # ^^^^^ `while 1` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      Tail.follow(path)
    end
  end
end

# case: return-inside-a-lambda (invalid)
# note: A return inside a lambda leaves the lambda only.
class FilterWorker
  include Sidekiq::Job

  def perform
    skip = ->(event) { return true if event.nil? }
    loop do
  # ^^^^ `loop do` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      event = Events.next_event
      Events.handle(event) unless skip.call(event)
    end
  end
end

# case: begin-end-while-true (invalid)
# note: The modifier form.
class SpinWorker
  include Sidekiq::Job

  def perform(lock)
    begin
      lock.refresh
      sleep 1
    end while true
    #   ^^^^^ `while true` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
  end
end

# case: kernel-loop-in-a-helper-beside-the-workers (invalid)
# note: Helpers beside the workers run inside them; `Kernel.loop` too.
# file: app/workers/feeds/listener.rb
module Feeds
  class Listener
    def listen(channel)
      Kernel.loop do
      #      ^^^^ `loop do` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
        channel.wait_for_notify { |_, _, payload| Feeds.dispatch(payload) }
      end
    end
  end
end

# case: next-only-skips-a-round (invalid)
# note: `next` only skips to the next round.
class SkipWorker
  include Sidekiq::Job

  def perform
    while (true)
  # ^^^^^ `while (true)` has no `break`, `return`, `raise` or `throw` that ends it: the job never finishes and holds its worker thread until the process stops (then it is pushed back to its queue and loops again); poll one round per job and re-enqueue instead
      job = Work.claim
      next if job.nil?
      job.run
    end
  end
end

# case: loop-with-break-unless (valid)
class TokenWorker
  include Sidekiq::Job

  def perform(invite_id)
    invite = Invite.find(invite_id)
    loop do
      invite.token = SecureRandom.hex(6)
      break unless Invite.exists?(token: invite.token)
    end
    invite.save!
  end
end

# case: return-from-a-nested-block (valid)
# note: Pagination that returns from the method, even from inside a nested block.
class SyncWorker
  include Sidekiq::Job

  def perform
    cursor = nil
    loop do
      page = Api.list(cursor: cursor)
      page.items.each do |item|
        return if item.nil?
        Item.upsert(item)
      end
      cursor = page.next_cursor
    end
  end
end

# case: raise-and-throw-end-the-loop (valid)
# note: A raise anywhere inside ends it; so does throw.
class RetryingWorker
  include Sidekiq::Job

  def perform(id)
    attempts = 0
    while true
      attempts += 1
      begin
        Client.push(id)
        throw :done
      rescue Client::Busy
        raise if attempts > 3
      end
    end
  end
end

# case: enumerator-next-ends-the-loop (valid)
# note: `enum.next` raises StopIteration at the end, which ends `loop`: the idiom.
class MergeWorker
  include Sidekiq::Job

  def perform
    left = Source.rows.each
    loop do
      row = left.next
      Target.insert(row)
    end
  end
end

# case: conditions-that-are-not-literals (valid)
# note: Conditions that are not literals are not reported.
class DrainWorker
  include Sidekiq::Job

  def perform
    while queue_pending?
      drain_one
    end
    until done? do step end
    loop_count = 3
  end
end

# case: loop-inside-a-timeout (valid)
# note: The timeout ends the loop.
class WaitWorker
  include Sidekiq::Job

  def perform(id)
    Timeout.timeout(30) do
      loop do
        sleep 1
        Export.find(id).reload
      end
    end
  end
end

# case: model-method-outside-worker-code (valid)
# note: Not worker code: a model method.
# file: app/models/invite.rb
class Invite < ApplicationRecord
  def self.forever
    loop { tick }
  end
end

# case: loops-that-never-run (valid)
# note: `while false` never runs; `until true` neither; `loop` without a block is something else.
class OddWorker
  include Sidekiq::Job

  def perform(stream)
    while false
      stream.read
    end
    until true do stream.read end
    stream.loop
  end
end

# case: begin-end-while-with-break (valid)
# note: The modifier form with an exit in its body.
class ModifierWorker
  include Sidekiq::Job

  def perform(queue)
    begin
      item = queue.pop
      break if item.nil?
      item.process
    end while true
  end
end
