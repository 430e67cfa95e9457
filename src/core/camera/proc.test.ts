import { describe, expect, it } from 'vitest'
import { mappedPaths, scanOpenFiles } from '../../../tests/support/proc-reference.js'
import { ProcScanner, parseFdTarget, processDetails } from './proc.js'

describe('parseFdTarget', () => {
  it.each([
    ['/dev/video0', '/dev/video0'],
    ['/tmp/cam dir/video0', '/tmp/cam dir/video0'],
    ['/dev/video0 (deleted)', '/dev/video0'],
    ['socket:[123456]', null],
    ['pipe:[99]', null],
    ['anon_inode:[eventfd]', null],
    ['anon_inode:dmabuf', null],
    ['', null],
    ['relative/path', null],
  ])('%s -> %s', (link, expected) => {
    expect(parseFdTarget(link)).toBe(expected)
  })
})

describe('mappedPaths', () => {
  const maps = [
    '55d0c4a2e000-55d0c4a30000 r--p 00000000 08:01 1311  /usr/bin/cheese',
    '7f1b2c000000-7f1b2c4b0000 rw-s 00000000 00:05 1093  /dev/video0',
    '7f1b2d000000-7f1b2d100000 rw-s 00000000 00:05 1093  /tmp/my cams/video2 (deleted)',
    '7f1b2e000000-7f1b2e021000 rw-p 00000000 00:00 0 ',
    '7ffd1b7e0000-7ffd1b801000 rw-p 00000000 00:00 0      [stack]',
    'garbage line',
    '',
  ].join('\n')

  it('finds the devices a process maps, even with spaces and (deleted)', () => {
    const found = mappedPaths(maps, new Set(['/dev/video0', '/tmp/my cams/video2', '/dev/video1']))
    expect([...found].sort()).toEqual(['/dev/video0', '/tmp/my cams/video2'])
  })

  it('finds nothing in anonymous and special mappings', () => {
    expect(mappedPaths(maps, new Set(['[stack]', '/dev/video9'])).size).toBe(0)
  })
})

describe.runIf(process.platform === 'linux')('scanOpenFiles and processDetails on the real /proc', () => {
  it('finds nothing for a file nobody holds, and reads this process', () => {
    const scan = scanOpenFiles(new Set(['/nonexistent/camguard-video0']))
    expect(scan.holders).toEqual([])
    expect(scan.scanned).toBeGreaterThan(0)
    const me = processDetails(process.pid)
    expect(me?.exe).toBe(process.execPath)
    expect(me?.uid).toBe(process.getuid!())
  })

  it('returns null for a pid that does not exist', () => {
    expect(processDetails(2 ** 22 + 12345)).toBeNull()
  })

  it('throws only when /proc itself cannot be read (the detector turns that into unknown)', () => {
    expect(() => scanOpenFiles(new Set(['/x']), '/nonexistent-proc')).toThrow()
    expect(() => new ProcScanner('/nonexistent-proc').scan(new Set(['/x']))).toThrow()
  })
})
