// Node module hook: resolves 'electron' to the recording stand-in, for booting the built main bundle under Node.
const FAKE = new URL('./fake-electron.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) return { url: FAKE, shortCircuit: true }
  return nextResolve(specifier, context)
}
