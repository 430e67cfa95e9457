/** A mistake in how the command was called: exit code 2, one line on stderr saying what to do. */
export class UsageError extends Error {
  readonly exitCode = 2
}

/** Something went wrong while running: exit code 1. */
export class RuntimeError extends Error {
  readonly exitCode = 1
}

// commander puts its own words before a parser's message ("command-argument value 'x' is invalid for
// argument 'pid'. ..."); our parsers' messages already name the value and say what to give.
const COMMANDER_PREFIX =
  /^(?:error: )?(?:command-argument value '.*' is invalid for argument '[^']*'\.|option '[^']*' (?:argument|value) '.*' (?:from env '[^']*' )?is invalid\.)\s*/s

/** A usage message as a sentence: a capital first, a full stop at the end. */
export function asSentence(text: string): string {
  const t = text.trim()
  const capital = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/**
 * A commander usage error as one line: its own prefix gone, its "(Did you mean …?)" as a sentence
 * instead of a second line, and where the help is. Not yet escaped: it repeats what was typed.
 */
export function usageMessage(commanderText: string, commandLine: string): string {
  const msg = commanderText
    .trim()
    .replace(/^error: /, '')
    .replace(COMMANDER_PREFIX, '')
  const [said = '', suggestion] = msg.split(/\n\((Did you mean [^\n]*\?)\)$/)
  return [asSentence(said), suggestion, `See "${commandLine} --help".`].filter(Boolean).join(' ')
}
