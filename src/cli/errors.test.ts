import { describe, expect, it } from 'vitest'
import { asSentence, usageMessage } from './errors.js'

describe('usageMessage', () => {
  it.each([
    [
      `error: command-argument value ' 12' is invalid for argument 'pid'. " 12" is not a process id: give it as plain digits.`,
      `" 12" is not a process id: give it as plain digits. See "camguard stop --help".`,
    ],
    [
      `error: option '--interval <ms>' argument '5' is invalid. --interval must be a whole number from 50 to 600000, not "5".`,
      `--interval must be a whole number from 50 to 600000, not "5". See "camguard stop --help".`,
    ],
    [
      `error: option '--data-dir <dir>' value 'x' from env 'CAMGUARD_DATA_DIR' is invalid. no such folder`,
      `No such folder. See "camguard stop --help".`,
    ],
    [`error: unknown option '--bogus'\n`, `Unknown option '--bogus'. See "camguard stop --help".`],
  ])('says %j as one plain sentence', (commander, plain) => {
    expect(usageMessage(commander, 'camguard stop')).toBe(plain)
  })

  it("says commander's suggestion on the same line", () => {
    expect(usageMessage(`error: unknown command 'stauts'\n(Did you mean status?)`, 'camguard')).toBe(
      `Unknown command 'stauts'. Did you mean status? See "camguard --help".`,
    )
    expect(
      usageMessage(`error: unknown option '--jsn'\n(Did you mean one of --json, --js?)`, 'camguard status'),
    ).toBe(`Unknown option '--jsn'. Did you mean one of --json, --js? See "camguard status --help".`)
  })

  it("keeps a value that looks like commander's words", () => {
    const text = `error: command-argument value 'is invalid.' is invalid for argument 'pid'. "is invalid." is not a process id.`
    expect(usageMessage(text, 'camguard stop')).toBe(
      `"is invalid." is not a process id. See "camguard stop --help".`,
    )
  })
})

describe('asSentence', () => {
  it('starts with a capital and ends with a full stop, once', () => {
    expect(asSentence('give the name of the app')).toBe('Give the name of the app.')
    expect(asSentence('Done!')).toBe('Done!')
    expect(asSentence('--kind takes camera')).toBe('--kind takes camera.')
  })
})
