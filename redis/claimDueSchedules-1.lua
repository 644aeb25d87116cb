--[[
  Claims schedules whose fire is due (or due within the lookahead: the scheduler then reads their definitions ahead
  and fires each at its instant) for one scheduler, earliest first. Each claimed entry's score moves to
  now + lease, so that it comes due again if the claimer dies before advancing it, and its hash records the claim
  id; only that claim may advance it. Members without a live hash (a crash between writes, a tombstone) are
  dropped.

  KEYS[1] schedules zset   {p}:schedules   (orchestrationId -> next fire ms, claim expiry while claimed)

  ARGV[1] key prefix "{p}:" (schedule hashes {p}:schedule:<id> are derived from it; same hash tag, same slot)
  ARGV[2] now, epoch ms
  ARGV[3] max entries to claim
  ARGV[4] claim lease ms
  ARGV[5] claim id, unique per call
  ARGV[6] lookahead ms: entries due by now + lookahead are claimed

  Returns an array with, per claimed entry, {orchestrationId, workspace, version, spec, anchor ms, scheduledFor ms}.
]]
local now = tonumber(ARGV[2])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now + tonumber(ARGV[6]), 'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
for _, id in ipairs(due) do
  local key = ARGV[1] .. 'schedule:' .. id
  local f = redis.call('HMGET', key, 'workspace', 'version', 'spec', 'anchor', 'scheduledFor', 'removed')
  if not f[1] or f[6] then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), id)
    redis.call('HSET', key, 'claim', ARGV[5])
    claimed[#claimed + 1] = {id, f[1], f[2], f[3], f[4], f[5]}
  end
end
return claimed
