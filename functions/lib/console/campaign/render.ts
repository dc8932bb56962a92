import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolePageKit } from '../page-kit';

/** The campaign pages, inside the console shell's layout. */
const kit = consolePageKit({
  name: 'campaign',
  here: dirname(fileURLToPath(import.meta.url)),
  // The campaign pages' own stylesheet and script.
  assets: {
    'campaign.css': 'text/css; charset=utf-8',
    'delivery.js': 'text/javascript; charset=utf-8',
  },
  // The console shell's layout: full width, the campaigns item current.
  context: () => ({ wide: true, section: 'campaigns' }),
});

export const CAMPAIGN_CONSOLE_BUNDLE_FILES = kit.bundleFiles;

export type CampaignView = 'form' | 'check' | 'show' | 'preview' | 'cancel' | 'problem' | 'alert';

export const renderCampaignView = (view: CampaignView, context: Record<string, unknown>): string =>
  kit.render(`campaign-${view}.njk`, context);

export const campaignAsset = kit.asset;
