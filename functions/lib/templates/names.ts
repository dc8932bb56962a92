/**
 * The subscriber journey's template names, apart from the compiler (templates/index.ts imports MJML),
 * so the public API's bundle can name them without carrying it.
 */
export const CONFIRM_TEMPLATE = 'confirm-subscription';
export const WELCOME_TEMPLATE = 'welcome';
