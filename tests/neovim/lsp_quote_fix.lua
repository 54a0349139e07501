-- A real client for `diplomacy lsp`: Neovim's own LSP client opens visits.toml of a dataset,
-- breaks a quote, waits for the E042 diagnostic, applies the server's code action, and waits
-- for the diagnostic to go. Each step writes a line `step ok|fail` to $RESULT; the Rust test
-- `crates/cli/tests/neovim.rs` runs it (Neovim 0.7 or later: `vim.lsp.start_client`).
local dir, bin, result = os.getenv('DATASET'), os.getenv('DIPLOMACY'), os.getenv('RESULT')
local out = assert(io.open(result, 'w'))
local function say(step, ok)
  out:write(step .. ' ' .. (ok and 'ok' or 'fail') .. '\n')
  out:flush()
  if not ok then
    vim.cmd('qa!')
  end
end

vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/visits.toml'))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = 'diplomacy', cmd = { bin, 'lsp' }, root_dir = dir })
say('start', id ~= nil)
vim.lsp.buf_attach_client(buf, id)
say('initialize', vim.wait(20000, function()
  local c = vim.lsp.get_client_by_id(id)
  return c ~= nil and c.initialized == true
end, 20))

local function has(code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return d
    end
  end
end

-- Break the quote of the first visit: one letter changed.
local row
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if row == nil and line:find('^quote = "In February 1998') then
    row = i - 1
    local broken = line:gsub('Minister of Japan,', 'Minister of Japon,', 1)
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { broken })
  end
end
say('edit', row ~= nil)
say('diagnostic', vim.wait(30000, function() return has('E042') ~= nil end, 20))

local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = row, character = 0 }, ['end'] = { line = row, character = 0 } },
  context = { diagnostics = {} },
}
local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000) or {}
local applied = false
for _, answer in pairs(answers) do
  for _, action in ipairs(answer.result or {}) do
    if action.title == "Replace with the source's words" and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      applied = true
    end
  end
end
say('code-action', applied)
say('cleared', vim.wait(30000, function() return #vim.diagnostic.get(buf) == 0 end, 20))
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
out:close()
vim.cmd('qa!')
