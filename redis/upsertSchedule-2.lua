--[[
  Adds or replaces the schedule of one orchestration version, unless Redis already holds that version or a newer
  one (or the removal of one): definition listeners of several instances and the start-up rebuild may deliver
  versions in any order, and the highest version wins. A newer version with the same spec keeps the pending fire
  and any claim (editing a step must not shift an interval's phase); any other change replaces the entry, which
  also voids a claim in flight (its advanceSchedule call answers stale).

  KEYS[1] schedules zset   {p}:schedules                  (orchestrationId -> next fire ms, claim expiry while claimed)
  KEYS[2] schedule hash    {p}:schedule:<orchestrationId>

  ARGV[1] orchestration id
  ARGV[2] version
  ARGV[3] workspace
  ARGV[4] spec: canonical JSON of the scheduled trigger
  ARGV[5] anchor, epoch ms (interval schedules fire at anchor + k * interval)
  ARGV[6] first fire (scheduledFor), epoch ms
  ARGV[7] now, epoch ms

  Returns  1 armed: added or replaced, due at ARGV[6]
           2 kept: same spec at a newer version; only the version changed
           0 ignored: this version, a newer one or a removal of one is already held
]]
local version = tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[2], 'version', 'removed', 'spec')
if held[1] then
  if tonumber(held[1]) >= version then
    return 0
  end
  if not held[2] and held[3] == ARGV[4] then
    redis.call('HSET', KEYS[2], 'version', ARGV[2], 'updatedAt', ARGV[7])
    return 2
  end
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'orchestrationId', ARGV[1], 'workspace', ARGV[3], 'version', ARGV[2], 'spec', ARGV[4],
  'anchor', ARGV[5], 'scheduledFor', ARGV[6], 'claim', '', 'updatedAt', ARGV[7])
redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1])
return 1
