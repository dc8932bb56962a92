const SEND_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A send time: HH:MM on the 24-hour clock. Shared by the playbook schema and the timeline. */
export const isValidSendTime = (value: string): boolean => SEND_TIME.test(value);
