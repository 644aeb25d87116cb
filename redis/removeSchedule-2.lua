--[[
  Stops an orchestration's schedule (deactivated, no longer scheduled, deleted) unless a newer version is held. A
  tombstone {version, removed} stays for ARGV[3] ms so that a late upsert of an older version cannot bring the
  schedule back; a claim in flight is voided (its advanceSchedule call answers not found).

  KEYS[1] schedules zset   {p}:schedules
  KEYS[2] schedule hash    {p}:schedule:<orchestrationId>

  ARGV[1] orchestration id
  ARGV[2] version that stopped the schedule (deletion passes the largest int, which outranks every version)
  ARGV[3] tombstone time to live, ms

  Returns  1 removed
           0 ignored: a newer version is held
          -1 nothing held (never scheduled, or its tombstone expired): nothing written. A late upsert of an older
             version may then arm a schedule; the scheduler finds it stale when it comes due and removes it.
]]
local held = redis.call('HGET', KEYS[2], 'version')
if not held then
  return -1
end
if tonumber(held) > tonumber(ARGV[2]) then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'version', ARGV[2], 'removed', '1')
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
