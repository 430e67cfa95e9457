// The data directory and settings.json under a careless user and a failing disk: what the command
// creates, what it does with a file it cannot use, and the exit code when saving fails.
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/processes.js'

const base = () => mkdtempSync(join(tmpdir(), 'camguard-files-'))
const mode = (path: string) => statSync(path).mode & 0o777

describe('the data directory', () => {
  it.each([
    [['status', '--device', '/nonexistent/video*']],
    [['config', 'list']],
    [['config', 'get', 'stillOnMinutes']],
  ])('is created private (0700) when %j runs first', async (args) => {
    const dir = join(base(), 'nested', 'camguard')
    const r = await runCli(args, { CAMGUARD_DATA_DIR: dir })
    expect(r.stderr).toBe('')
    expect(mode(dir).toString(8)).toBe('700')
  })
})
