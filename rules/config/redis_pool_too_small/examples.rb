# WL101 redis-pool-too-small: its examples (format: workerlint/app/examples.py)

# case: one-line-configure-block-in-sidekiq-6-4 (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server { |config| config.redis = { url: "redis://127.0.0.1:6390/0", size: 11 } }
#                                                                                           ^^ Redis pool of 11 (config/initializers/sidekiq.rb:1) is below the 12 connections Sidekiq 6.4.1 needs for concurrency 10 (config/sidekiq.yml:1; concurrency + 2): it will refuse to boot

# fixed:
Sidekiq.configure_server { |config| config.redis = { url: "redis://127.0.0.1:6390/0", size: 12 } }

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.4.1)

# file: config/sidekiq.yml
# :concurrency: 10

# case: pool-below-concurrency-plus-two (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 10 }
  #                      ^^ Redis pool of 10 (config/initializers/sidekiq.rb:2) is below the 12 connections Sidekiq 6.5.12 needs for concurrency 10 (config/sidekiq.yml:1; concurrency + 2): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = { size: 12 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# :concurrency: 10

# case: connection-pool-below-the-default-need (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = ConnectionPool.new(size: 5) { Redis.new }
  #                                       ^ Redis pool of 5 (config/initializers/sidekiq.rb:2) is below the 12 connections Sidekiq 6.0.0 needs for concurrency 10 (Sidekiq 6.0.0's default; concurrency + 2): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = ConnectionPool.new(size: 12) { Redis.new }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.0.0)

# case: env-default-below-the-need (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: ENV.fetch("REDIS_POOL", 20).to_i }
  #                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Redis pool of 20 (config/initializers/sidekiq.rb:2, default of REDIS_POOL) is below the 27 connections Sidekiq 6.5.12 needs for concurrency 25 (config/sidekiq.yml:2; concurrency + 2): it will refuse to boot
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# ---
# :concurrency: 25

# case: pool-below-default-concurrency-in-sidekiq-7-2 (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 4 }
  #                      ^ Redis pool of 4 (config/initializers/sidekiq.rb:2) is below the 5 connections Sidekiq 7.2.4 needs for concurrency 5 (Sidekiq 7.2.4's default; every capsule's pool holds its concurrency: capsule `default`): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = { size: 5 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# case: capsule-raises-the-need (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 10 }
  #                      ^^ Redis pool of 10 (config/initializers/sidekiq.rb:2) is below the 20 connections Sidekiq 7.3.10 needs for concurrency 20 (config/initializers/sidekiq.rb:3; every capsule's pool holds its concurrency: capsule `single`): it will refuse to boot
  config.capsule("single") { |cap| cap.concurrency = 20 }
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = { size: 20 }
  config.capsule("single") { |cap| cap.concurrency = 20 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.3.10)

# file: config/sidekiq.yml
# :concurrency: 10

# case: sidekiq-5-0-needs-concurrency-plus-two (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 10 }
  #                      ^^ Redis pool of 10 (config/initializers/sidekiq.rb:2) is below the 12 connections Sidekiq 5.0.5 needs for concurrency 10 (config/sidekiq.yml:1; more than the concurrency; concurrency + 2): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = { size: 12 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (5.0.5)

# file: config/sidekiq.yml
# :concurrency: 10

# case: procfile-process-with-higher-concurrency (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 20 }
  #                      ^^ Redis pool of 20 (config/initializers/sidekiq.rb:2) is below the 32 connections Sidekiq 6.5.12 needs for concurrency 30 (Procfile:1; concurrency + 2) (`worker` (Procfile:1) in production): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  config.redis = { size: 32 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: Procfile
# worker: bundle exec sidekiq -e production -c 30

# file: config/sidekiq.yml
# :concurrency: 10
# staging:
#   :concurrency: 15

# case: pool-size-local-without-gemfile-lock (invalid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  pool_size = 8
  config.redis = { size: 8 }
  #                      ^ Redis pool of 8 (config/initializers/sidekiq.rb:3) is below the 10 connections Sidekiq 8 (version unknown: assumed the newest) needs for concurrency 10 (config/sidekiq.yml:1; every capsule's pool holds its concurrency: capsule `default`): it will refuse to boot
end

# fixed:
Sidekiq.configure_server do |config|
  pool_size = 8
  config.redis = { size: 10 }
end

# file: config/sidekiq.yml
# :concurrency: 10

# case: pool-of-concurrency-plus-two-in-sidekiq-6 (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { url: "redis://localhost", size: 12 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.4.1)

# file: config/sidekiq.yml
# :concurrency: 10

# case: pool-size-left-to-sidekiq (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { url: "redis://localhost" }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# :concurrency: 10

# case: sidekiq-7-0-needs-concurrency-only (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 10 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.0.2)

# file: config/sidekiq.yml
# :concurrency: 10

# case: sidekiq-7-2-needs-concurrency-only (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 10 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.2.4)

# file: config/sidekiq.yml
# :concurrency: 10

# case: pool-size-from-an-unset-env-variable (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: ENV["REDIS_POOL"].to_i }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# :concurrency: 10

# case: env-default-meets-the-need (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: ENV.fetch("REDIS_POOL", 12).to_i }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# :concurrency: 10

# case: sidekiq-5-1-needs-concurrency-plus-one (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 11 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (5.1.3)

# file: config/sidekiq.yml
# :concurrency: 10

# case: default-concurrency-of-sidekiq-7-1 (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 7 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (7.1.0)

# case: concurrency-from-an-unset-env-variable (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_server do |config|
  config.redis = { size: 5 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (8.0.1)

# file: config/sidekiq.yml
# :concurrency: <%= ENV['SIDEKIQ_CONCURRENCY'] %>

# case: client-pool-is-not-the-server-pool (valid)
# file: config/initializers/sidekiq.rb
Sidekiq.configure_client do |config|
  config.redis = { size: 1 }
end

# file: Gemfile.lock
# GEM
#   remote: https://rubygems.org/
#   specs:
#     sidekiq (6.5.12)

# file: config/sidekiq.yml
# :concurrency: 10
