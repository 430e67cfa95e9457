#!/usr/bin/env node
// Draws the tray icons (one per camera state, and the microphone on and unexpected) as PNGs with node:zlib only, so they can be regenerated
// without image tools: `node scripts/make-icons.mjs`. Output is committed under resources/icons/.
//
// Per state: <name>-16.png, <name>-16@2x.png, <name>-32.png, <name>-32@2x.png (colour; Windows and Linux)
// and <name>Template.png, <name>Template@2x.png (black + alpha; macOS menu bar, recoloured by the OS).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons')

// --- PNG encoding (RGBA, 8 bit, no interlace) ---
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// --- Shapes in a unit square (0..1), tested per sample point ---
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}
// The lens: a trapezoid to the right of the body, as on a video camera.
const lens = (x, y) => x >= 0.66 && x <= 0.94 && Math.abs(y - 0.5) <= 0.1 + (x - 0.66) * 0.6
const body = roundRect(0.06, 0.28, 0.68, 0.72, 0.08)
const camera = (x, y) => body(x, y) || lens(x, y)
const cameraOutline = (x, y) => camera(x, y) && !roundRect(0.14, 0.36, 0.6, 0.64, 0.03)(x, y)
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
// A slash from top left to bottom right, with a gap cut either side so it reads on any background.
const slashDist = (x, y) => Math.abs(x - y) / Math.SQRT2
const slash = (x, y) => slashDist(x, y) <= 0.06 && x > 0.04 && x < 0.96
const slashGap = (x, y) => slashDist(x, y) <= 0.12
const badge = circle(0.78, 0.24, 0.2)
const badgeMark = (x, y) =>
  (Math.abs(x - 0.78) <= 0.035 && y >= 0.1 && y <= 0.28) || circle(0.78, 0.35, 0.04)(x, y)

// A microphone, a little left of centre so the alert badge does not cover it: capsule, holder, stem, base.
const MIC_X = 0.4
const capsule = roundRect(MIC_X - 0.13, 0.06, MIC_X + 0.13, 0.56, 0.13)
const holder = (x, y) => {
  const d = Math.hypot(x - MIC_X, y - 0.4)
  return y >= 0.4 && d >= 0.2 && d <= 0.27
}
const stem = (x, y) => Math.abs(x - MIC_X) <= 0.035 && y >= 0.66 && y <= 0.86
const micBase = roundRect(MIC_X - 0.2, 0.84, MIC_X + 0.2, 0.93, 0.03)
const microphone = (x, y) => capsule(x, y) || holder(x, y) || stem(x, y) || micBase(x, y)

const GREY = [110, 116, 124]
const GREEN = [22, 163, 74]
const RED = [220, 38, 38]
const AMBER = [217, 119, 6]
const WHITE = [255, 255, 255]
const BLACK = [0, 0, 0]

/** A device's alert icon: the device in red with a white "!" badge cut out beside it. */
const alertIcon = (device) => ({
  colour: [
    [device, RED],
    [circle(0.78, 0.24, 0.24), null],
    [badge, RED],
    [badgeMark, WHITE],
  ],
  template: [
    [device, BLACK],
    [circle(0.78, 0.24, 0.24), null],
    [badge, BLACK],
    [badgeMark, null],
  ],
})

/** Each state is a list of layers painted in order: [shape, colour] or [shape, null] to erase. */
const STATES = {
  'camera-off': {
    colour: [
      [(x, y) => camera(x, y) && !slashGap(x, y), GREY],
      [slash, GREY],
    ],
    template: [
      [(x, y) => camera(x, y) && !slashGap(x, y), BLACK],
      [slash, BLACK],
    ],
  },
  'camera-on': {
    colour: [[camera, GREEN]],
    template: [[camera, BLACK]],
  },
  'camera-alert': alertIcon(camera),
  'mic-on': {
    colour: [[microphone, GREEN]],
    template: [[microphone, BLACK]],
  },
  'mic-alert': alertIcon(microphone),
  'camera-unknown': {
    colour: [
      [cameraOutline, GREY],
      [circle(0.78, 0.24, 0.24), null],
      [badge, AMBER],
    ],
    template: [
      [cameraOutline, BLACK],
      [circle(0.78, 0.24, 0.24), null],
      [circle(0.78, 0.24, 0.16), BLACK],
    ],
  },
}

function render(size, layers) {
  const SS = 4 // supersampling per axis, for anti-aliased edges
  const out = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / size
          const y = (py + (sy + 0.5) / SS) / size
          let colour = null
          for (const [shape, c] of layers) if (shape(x, y)) colour = c
          if (colour) {
            r += colour[0]
            g += colour[1]
            b += colour[2]
            a += 1
          }
        }
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        out[i] = Math.round(r / a)
        out[i + 1] = Math.round(g / a)
        out[i + 2] = Math.round(b / a)
        out[i + 3] = Math.round((255 * a) / (SS * SS))
      }
    }
  }
  return out
}

mkdirSync(OUT, { recursive: true })
const written = []
const write = (file, size, layers) => {
  writeFileSync(join(OUT, file), encodePng(size, render(size, layers)))
  written.push(file)
}
for (const [name, { colour, template }] of Object.entries(STATES)) {
  for (const base of [16, 32]) {
    write(`${name}-${base}.png`, base, colour)
    write(`${name}-${base}@2x.png`, base * 2, colour)
  }
  write(`${name}Template.png`, 16, template)
  write(`${name}Template@2x.png`, 32, template)
}
// The application icon (window, installers): the "on" camera, large.
write('app-icon.png', 512, STATES['camera-on'].colour)
console.log(`wrote ${written.length} icons to ${OUT}`)
