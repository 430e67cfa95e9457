import type { Region } from './settings.js'

/** One guide topic, loaded from resources/guide/<id>.md. */
export interface GuideTopic {
  id: string
  title: string
  order: number
  /** Regions the topic is for; null means every region. */
  regions: Region[] | null
  /** Markdown body without front matter. */
  body: string
}

/** https hosts the guide may open in the system browser; anything else is refused. */
export const EXTERNAL_LINK_HOSTS = [
  'www.police.uk',
  'www.reportfraud.police.uk',
  'reportfraud.police.uk',
  'www.ceop.police.uk',
  'www.childline.org.uk',
  'www.nspcc.org.uk',
  'www.iwf.org.uk',
  'revengepornhelpline.org.uk',
  'www.revengepornhelpline.org.uk',
  'swgfl.org.uk',
  'www.samaritans.org',
  'stopncii.org',
  'www.stopncii.org',
  'takeitdown.ncmec.org',
  'report.cybertip.org',
  'www.missingkids.org',
  'tips.fbi.gov',
  'www.ic3.gov',
  '988lifeline.org',
  'www.garda.ie',
  'hotline.ie',
  'www.hotline.ie',
  'www.ispcc.ie',
  'www.esafety.gov.au',
  'www.accce.gov.au',
  'www.cyber.gov.au',
  'kidshelpline.com.au',
  'www.lifeline.org.au',
  'www.cybertip.ca',
  'needhelpnow.ca',
  'www.needhelpnow.ca',
  'antifraudcentre-centreantifraude.ca',
  'kidshelpphone.ca',
  'www.europol.europa.eu',
  'www.betterinternetforkids.eu',
  'better-internet-for-kids.europa.eu',
  'www.inhope.org',
  'support.google.com',
] as const

/** True for https URLs whose host is on the allowlist (no credentials, no odd ports). */
export function isAllowedExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > 2048) return false
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    (EXTERNAL_LINK_HOSTS as readonly string[]).includes(url.hostname)
  )
}
