/**
 * An in-process SES v2 emulator (aws-ses-v2-local) for tests and the template preview.
 *
 * Rendering goes through the real API call, TestRenderEmailTemplate, so templates are rendered with
 * the same Handlebars semantics as SES: no HTML escaping, built-in helpers only, and strict data
 * (a variable the template uses but the data lacks fails the render, as SES's
 * MissingRenderingAttribute does).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AlreadyExistsException,
  CreateEmailTemplateCommand,
  SESv2Client,
  TestRenderEmailTemplateCommand,
  UpdateEmailTemplateCommand,
} from '@aws-sdk/client-sesv2';
import * as sesLocal from 'aws-ses-v2-local';
import type { EmailTemplate, TemplateData } from '../../functions/lib/templates';

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

// The package is CommonJS with `exports.default`; under Node's ESM loader the default import is the
// whole exports object, under esbuild-style interop it is the function. Accept both.
const startServer: StartServer = (() => {
  const candidate = (sesLocal as { default?: unknown }).default;
  const fn = typeof candidate === 'function' ? candidate : (candidate as { default?: unknown })?.default;
  if (typeof fn !== 'function') throw new Error('aws-ses-v2-local: could not find the server function');
  return fn as StartServer;
})();

import { parseRenderedMime } from '../../functions/lib/adapters/ses/rendered-mime';

export { parseRenderedMime };

export interface SesEmulator {
  endpoint: string;
  client: SESv2Client;
  close(): Promise<void>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Raised when the emulator refuses to render (bad template, missing variable). */
export class SesRenderError extends Error {
  override readonly name = 'SesRenderError';
  constructor(
    readonly templateName: string,
    cause: unknown,
  ) {
    super(
      `SES could not render "${templateName}": ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

/** Starts the emulator on a free port on 127.0.0.1. Call close() when done. */
export const startSesEmulator = async (): Promise<SesEmulator> => {
  const server = await startServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SESv2Client({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      // Keep-alive sockets would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/**
 * Creates (or updates) the templates in the emulator. Its store is per process, so another emulator in
 * the same process may have created them already.
 */
export const putTemplates = async (client: SESv2Client, templates: EmailTemplate[]): Promise<void> => {
  for (const template of templates) {
    const content = { Subject: template.subject, Html: template.html, Text: template.text };
    try {
      await client.send(
        new CreateEmailTemplateCommand({ TemplateName: template.name, TemplateContent: content }),
      );
    } catch (error) {
      if (!(error instanceof AlreadyExistsException)) throw error;
      await client.send(
        new UpdateEmailTemplateCommand({ TemplateName: template.name, TemplateContent: content }),
      );
    }
  }
};

/** Renders a stored template through TestRenderEmailTemplate and decodes the MIME message it returns. */
export const renderEmail = async (
  client: SESv2Client,
  templateName: string,
  data: TemplateData,
): Promise<RenderedEmail> => {
  let raw: string | undefined;
  try {
    const result = await client.send(
      new TestRenderEmailTemplateCommand({ TemplateName: templateName, TemplateData: JSON.stringify(data) }),
    );
    raw = result.RenderedTemplate;
  } catch (error) {
    throw new SesRenderError(templateName, error);
  }
  if (!raw) throw new SesRenderError(templateName, 'empty RenderedTemplate');
  return parseRenderedMime(raw);
};
