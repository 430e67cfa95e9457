// The app:// scheme: serves the built renderer (out/renderer) and nothing else, with the CSP on every response.
import { readFile, realpath } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './app-info.js'
import { CONTENT_SECURITY_POLICY } from './security.js'

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: relative URLs and origins work; secure: treated like https (no mixed-content exceptions).
  privileges: { standard: true, secure: true, supportFetchAPI: true },
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..')
}

/** Maps an app:// URL to a file under root, or null when it is not one of ours or escapes root. Pure. */
export function resolveAppPath(root: string, rawUrl: string): string | null {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  // Encoded separators or NUL bytes have no business in a page path.
  if (path.includes('\0') || path.includes('\\')) return null
  if (path === '/' || path === '') path = '/index.html'
  const file = resolve(root, `.${path}`)
  return inside(resolve(root), file) ? file : null
}

export interface ProtocolDeps {
  root: string
  read?: (file: string) => Promise<Buffer>
  real?: (file: string) => Promise<string>
}

const headers = (type: string): Record<string, string> => ({
  'Content-Type': type,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
})

/** The handler for protocol.handle(APP_SCHEME, ...). */
export function createAppProtocolHandler(
  deps: ProtocolDeps,
): (request: { url: string }) => Promise<Response> {
  const read = deps.read ?? ((f: string) => readFile(f))
  const real = deps.real ?? ((f: string) => realpath(f))
  return async (request) => {
    const file = resolveAppPath(deps.root, request.url)
    if (!file)
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') })
    try {
      // A symlink inside out/renderer must not lead outside it either.
      const [realRoot, realFile] = await Promise.all([real(resolve(deps.root)), real(file)])
      if (!inside(realRoot, realFile)) throw new Error('outside root')
      const body = await read(realFile)
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
      return new Response(new Uint8Array(body), { status: 200, headers: headers(type) })
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') })
    }
  }
}
