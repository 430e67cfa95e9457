// src/shared runs in Node and in the browser; it may use only what both provide.
declare class URL {
  constructor(url: string, base?: string)
  readonly protocol: string
  readonly username: string
  readonly password: string
  readonly hostname: string
  readonly port: string
  readonly href: string
}
