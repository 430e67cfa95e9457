import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { hashFile } from './files.js'

export const MANIFEST_FILE = 'manifest.json'

export interface ManifestFile {
  /** Inside the export folder, with forward slashes: "attachments/3f9a01c2-a1-chat.png". */
  path: string
  size: number
  sha256: string
}

export interface Manifest {
  format: 'camguard-evidence-export'
  formatVersion: 1
  createdAt: string
  createdBy: string
  algorithm: 'SHA-256'
  /** Every file of the folder except manifest.json itself, sorted by path. */
  files: ManifestFile[]
}

/** Every file under dir, as relative paths with forward slashes, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...listFiles(dir, rel))
    else if (entry.isFile()) out.push(rel)
  }
  return out.sort()
}

/** Hashes every file of the export folder (the manifest aside) afresh from disk. */
export async function buildManifest(
  dir: string,
  meta: { createdAt: Date; createdBy: string },
): Promise<Manifest> {
  const files: ManifestFile[] = []
  for (const path of listFiles(dir)) {
    if (path === MANIFEST_FILE) continue
    const { size, sha256 } = await hashFile(join(dir, path))
    files.push({ path, size, sha256 })
  }
  return {
    format: 'camguard-evidence-export',
    formatVersion: 1,
    createdAt: meta.createdAt.toISOString(),
    createdBy: meta.createdBy,
    algorithm: 'SHA-256',
    files,
  }
}
