--[[
  Counts one request in a fixed rate-limit window and says whether it fits. The counter is created with the
  window's TTL on its first hit, in the same atomic step, so no counter outlives its window even when the
  caller dies between commands. Every instance shares the counter, so the limit holds across the cluster.

  KEYS[1] window counter  {p}:rate:<scope>:<window start, epoch s>

  ARGV[1] limit: requests allowed in the window, >= 1
  ARGV[2] counter TTL ms: the window's length plus a margin for clock skew between instances

  Returns {1, count} when the request fits, {0, count} when it is over the limit (count includes it).
]]
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if count > tonumber(ARGV[1]) then
  return {0, count}
end
return {1, count}
