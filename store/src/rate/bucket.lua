-- Take one token from the bucket at KEYS[1], atomically.
-- ARGV: capacity, refill per second. Returns {1, 0} when taken, {0, wait_us} when refused.
-- State: a hash {tokens, us} (tokens left, as of Redis's clock in microseconds). The key
-- expires once the bucket would be full again, so idle keys cost nothing.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

local state = redis.call('HMGET', KEYS[1], 'tokens', 'us')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens, at = capacity, now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000000)
  at = now
end

local taken, wait_us = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
else
  wait_us = math.ceil((1 - tokens) * 1000000 / rate)
end

-- Explicit formats: Lua's default number-to-string keeps only 14 digits.
redis.call('HSET', KEYS[1],
  'tokens', string.format('%.6f', tokens),
  'us', string.format('%.0f', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return {taken, wait_us}
