/**
 * A small cookie-keeping client for the admin console over HTTP, and the sign-in dance: ask for a
 * link, read it from the SES emulator's store, open it and press the button.
 */
import { emailsTo, linkIn, sesMark } from './subscriptions';

export interface ConsoleResponse {
  status: number;
  location?: string;
  body: string;
  setCookies: string[];
}

export const csrfIn = (html: string): string => {
  const found = html.match(/name="csrfToken" value="([^"]+)"/)?.[1];
  if (!found) throw new Error('No CSRF token in the page');
  return found;
};

export const headingOf = (html: string): string => html.match(/<h1[^>]*>\s*([^<]+?)\s*</)?.[1] ?? '';

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly apiUrl: string) {}

  private async send(path: string, init: RequestInit): Promise<ConsoleResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.apiUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    const setCookies = response.headers.getSetCookie();
    for (const set of setCookies) {
      const [pair, ...attributes] = set.split(';');
      const at = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, at);
      const value = (pair as string).slice(at + 1);
      if (attributes.some((a) => a.trim() === 'Max-Age=0') || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      body: await response.text(),
      setCookies,
    };
  }

  get(path: string) {
    return this.send(path, { method: 'GET' });
  }

  post(path: string, fields: Record<string, string>) {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Posts a page's form with its CSRF token (from the page at `formPage`). */
  async submit(formPage: string, action: string, fields: Record<string, string> = {}) {
    const page = await this.get(formPage);
    return this.post(action, { csrfToken: csrfIn(page.body), ...fields });
  }
}

export interface SignInStack {
  apiUrl: string;
  sesEndpoint: string;
  emulator: { drain(): Promise<void> };
}

/** Asks for a sign-in link for `email` and returns the link from the email (or undefined: none sent). */
export const requestLink = async (client: ConsoleClient, stack: SignInStack, email: string) => {
  const mark = await sesMark(stack.sesEndpoint);
  const sent = await client.submit('/console/sign-in', '/console/sign-in', { email });
  await stack.emulator.drain();
  const [message] = await emailsTo(stack.sesEndpoint, email.trim().toLowerCase(), mark);
  return { page: sent, link: message ? linkIn(message, '/console/sign-in/link') : undefined, email: message };
};

/** Signs `email` in from its emailed link; the client then holds the session cookie. */
export const signIn = async (client: ConsoleClient, stack: SignInStack, email: string) => {
  const { link } = await requestLink(client, stack, email);
  if (!link) throw new Error('No sign-in email arrived');
  const path = link.slice(new URL(link).origin.length);
  const page = await client.get(path);
  const token = new URL(link).searchParams.get('token') as string;
  return client.post('/console/sign-in/link', { csrfToken: csrfIn(page.body), token });
};
