-- wrk script: each request scans a random issued serial (paths written by bench/scan_seed.py).
local paths = {}

function init(args)
  for line in io.lines(os.getenv("SCAN_PATHS")) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring(paths):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], {["X-Forwarded-Proto"] = "https",
    ["Accept-Language"] = "vi,en;q=0.8"})
end
