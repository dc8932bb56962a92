/**
 * Hosts the email content may link to: official sources named in the content brief
 * (shared/content-brief.md, beside this repository). Tests check every rendered link against this list, so adding a
 * link to a new site is a deliberate, reviewed change. https only.
 */
export const ALLOWED_LINK_HOSTS = [
  'www.gov.uk',
  'www.ncsc.gov.uk',
  'www.protectuk.police.uk',
  'www.electoralcommission.org.uk',
  'www.local.gov.uk',
  'www.npsa.gov.uk',
  'www.psni.police.uk',
  'www.cps.gov.uk',
  'cps.gov.uk',
  'www.college.police.uk',
  'www.police.uk',
  'reportfraud.police.uk',
] as const;

/**
 * True for an https URL on an allowed host (no credentials, no explicit port). The campaign's
 * organiser's own site (`organiserWebsite`, which the standing line in every email names) is allowed
 * too, on its host only.
 */
export const isAllowedLink = (href: string, organiserWebsite?: string): boolean => {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    ((ALLOWED_LINK_HOSTS as readonly string[]).includes(url.hostname) ||
      (organiserWebsite !== undefined && url.hostname === hostOf(organiserWebsite)))
  );
};

const hostOf = (href: string): string | undefined => {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
};
