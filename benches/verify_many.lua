-- wrk script for benches/load.sh: every request verifies a different certificate.
--
-- Reads the paths /v/{token} from the file named by the environment variable TOKENS (one per
-- line; load.sh writes it from the manifest of 10,000 issued certificates) and requests them in
-- turn, each wrk thread starting at its own place in the list, so that consecutive requests,
-- within a thread and across threads, name different certificates. Headers (Accept) come from
-- wrk's -H options.

local paths = {}
local next_index = 0
local threads = 0

function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

function init(args)
  local file = os.getenv("TOKENS") or "tokens.txt"
  for line in io.lines(file) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  assert(#paths > 0, "no paths in " .. file)
  next_index = ((thread_index or 0) * 7919) % #paths
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
