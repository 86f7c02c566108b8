-- Take from or spend on the bucket at KEYS[1], atomically.
-- ARGV: capacity, refill per second, cost, need (1: refuse unless a whole token is there, then
-- take `cost`; 0: spend `cost` whatever the bucket holds, down to -capacity at most).
-- Returns {1, 0} when taken (or spent), {0, wait_us} when refused.
-- State: a hash {tokens, us} (tokens left, as of Redis's clock in microseconds). The key
-- expires once the bucket would be full again, so idle keys cost nothing.
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3] or '1')
local need = tonumber(ARGV[4] or '1')
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
if need == 0 then
  tokens = math.max(-capacity, tokens - cost)
  taken = 1
elseif tokens >= 1 then
  tokens = tokens - cost
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
