// What the shipped guide must say, per region, taken from the reviewed fact sheet the guide is written
// from (numbers, services, laws). Tests check the guide against this list, never against itself.
import type { Region } from '../../src/shared/settings.js'

export interface RegionFacts {
  /** Emergency and crisis lines: shown in place in "If you are in danger now". */
  crisis: string[]
  /** Every other number and service the region's guide must name. */
  services: string[]
}

export const GUIDE_FACTS: Record<Region, RegionFacts> = {
  uk: {
    crisis: ['999', 'Samaritans', '116 123', 'Childline', '0800 1111'],
    services: [
      '101',
      '18001 101',
      'Report Fraud',
      '0300 123 2040',
      'reportfraud.police.uk',
      'Revenge Porn Helpline',
      '0345 6000 459',
      'CEOP',
      'ceop.police.uk/Safety-Centre',
      'NSPCC',
      '0808 800 5000',
      'Report Remove',
      'StopNCII',
      'Take It Down',
    ],
  },
  ie: {
    crisis: ['112', '999', 'Samaritans', '116 123'],
    services: [
      'Garda station',
      '1800 666 111',
      'Hotline.ie',
      'Childline (ISPCC)',
      '1800 66 66 66',
      'StopNCII',
      'Take It Down',
    ],
  },
  us: {
    crisis: ['911', '988'],
    services: [
      'tips.fbi.gov',
      '1-800-CALL-FBI',
      'ic3.gov',
      'CyberTipline',
      'report.cybertip.org',
      '1-800-THE-LOST',
      '1-800-843-5678',
      'Take It Down',
      'StopNCII',
      'TAKE IT DOWN Act',
      '48 hours',
    ],
  },
  ca: {
    crisis: ['911', '988', 'Kids Help Phone', '1-800-668-6868', 'CONNECT', '686868'],
    services: [
      'Cybertip.ca',
      '1-866-658-9022',
      'NeedHelpNow.ca',
      'Canadian Anti-Fraud Centre',
      '1-888-495-8501',
      'StopNCII',
      'Take It Down',
    ],
  },
  au: {
    crisis: ['000', 'Lifeline', '13 11 14', 'Kids Helpline', '1800 55 1800'],
    services: [
      'eSafety',
      'esafety.gov.au',
      'ACCCE',
      'accce.gov.au/report',
      'ReportCyber',
      'StopNCII',
      'Take It Down',
    ],
  },
  other: {
    crisis: ['112', 'your emergency number or a crisis line in your country'],
    services: [
      'Europol',
      'betterinternetforkids.eu/practice/helplines',
      'INHOPE',
      'StopNCII',
      'Take It Down',
    ],
  },
}

/** Every phone number the fact sheet gives, as the guide writes it. */
export const PHONE_NUMBERS = [
  '18001 101',
  '116 123',
  '0345 6000 459',
  '0800 1111',
  '0808 800 5000',
  '0300 123 2040',
  '1-800-CALL-FBI',
  '1-800-THE-LOST',
  '1-800-843-5678',
  '1800 666 111',
  '1800 66 66 66',
  '1-866-658-9022',
  '1-888-495-8501',
  '1-800-668-6868',
  '9-8-8',
  '1800 55 1800',
  '13 11 14',
] as const

/** Short numbers the fact sheet gives (emergency, police, crisis, text lines). */
export const SHORT_NUMBERS = ['999', '101', '112', '911', '988', '000', '686868'] as const
