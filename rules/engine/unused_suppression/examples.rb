# WL002 unused-suppression: its examples (format: workerlint/app/examples.py)

# case: disable-next-line-over-clean-code (invalid)
def perform(id)
  # workerlint:disable-next-line WL201
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ suppression of WL201 silenced nothing
  Order.find(id).touch
end

# fixed:
def perform(id)
  Order.find(id).touch
end

# case: disable-naming-an-unknown-rule (invalid)
x = 1 # workerlint:disable WL999
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^ names no known rule: WL999

# fixed:
x = 1

# case: disable-that-silences-a-finding (valid)
class SyncWorker
  include Sidekiq::Job
  def perform(url)
    HTTParty.get(url) # workerlint:disable WL201 -- the gateway has its own deadline
  end
end

# case: disable-next-line-by-rule-name (valid)
class SyncWorker
  include Sidekiq::Job
  def perform(url)
    # workerlint:disable-next-line http-call-without-timeout
    HTTParty.get(url)
  end
end

# case: suppressed-rule-not-selected (valid)
# settings: { select = ["WL002"] }
# workerlint:disable WL201
x = 1
