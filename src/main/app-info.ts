// One place for the identifiers that must match electron-builder.yml (tested in tests/main/builder-config.test.ts).

/** Windows AppUserModelID and electron-builder appId: notifications are attributed to it. */
export const APP_ID = 'org.camguard.app'
export const PRODUCT_NAME = 'CamGuard'
/** The custom scheme the window's pages are served from (see protocol.ts). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'camguard'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
