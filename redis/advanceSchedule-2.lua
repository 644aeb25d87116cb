--[[
  Moves a claimed schedule on to its next fire, or removes it when it has none (a fired `once`, an orchestration
  found deleted or inactive at fire time). Only the claim that holds the entry may do so: a replacement, removal or
  re-claim since then wins, and this call changes nothing.

  KEYS[1] schedules zset   {p}:schedules
  KEYS[2] schedule hash    {p}:schedule:<orchestrationId>

  ARGV[1] orchestration id
  ARGV[2] claim id the caller got from claimDueSchedules
  ARGV[3] next fire (new scheduledFor), epoch ms; empty to remove the schedule
  ARGV[4] time to live of the tombstone a removal leaves (so a late upsert of this version cannot re-add it), ms

  Returns  1 advanced
           2 removed
          -1 not found (removed meanwhile)
          -2 stale (replaced or re-claimed meanwhile)
]]
local f = redis.call('HMGET', KEYS[2], 'claim', 'removed', 'version')
if not f[1] or f[2] then
  return -1
end
if f[1] ~= ARGV[2] then
  return -2
end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'version', f[3], 'removed', '1')
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return 2
end
redis.call('HSET', KEYS[2], 'scheduledFor', ARGV[3], 'claim', '')
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
