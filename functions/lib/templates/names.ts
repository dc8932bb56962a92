/**
 * The subscriber journey's template names, apart from the compiler (templates/index.ts imports MJML),
 * so the public API's bundle can name them without carrying it.
 */
export const CONFIRM_TEMPLATE = 'confirm-subscription';
export const WELCOME_TEMPLATE = 'welcome';
/** The urgent alert: one template for every role, its words (subject, HTML, text) as template data. */
export const ALERT_TEMPLATE = 'urgent-alert';
