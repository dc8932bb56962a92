/**
 * The one DynamoDB table (single-table design). The CDK app and the local stack both build the table
 * from these names, so they cannot drift. Key design (see README "Data"):
 *
 *   item               pk                          sk                       gsi1pk / gsi1sk
 *   campaign           CAMPAIGN#<id>               CAMPAIGN                 CAMPAIGNS / <pollDate>#<id>
 *   (campaign steps live inside the campaign item, in its `steps` map; no step items)
 *   subscription       SUB#<emailHmac>             CAMPAIGN#<campaignId>    -
 *     audience index (audiencePk / audienceSk): AUDIENCE#<campaignId>#<role> / <emailHmac>, set only
 *     while confirmed (sparse), projecting emailHmac, email, name, role, status (narrow)
 *   confirm throttle   SUB#<emailHmac>             THROTTLE#CONFIRM#<campaignId> -
 *   delivery record    DELIVERY#<campaignId>#<step> <emailHmac>             -
 *   SES call record    DELIVERY#<campaignId>#<step> CALL#<claimId>          -
 *   step counts        CAMPAIGN#<id>               STATS#<stepKey>          -
 *   suppression        SUPPRESSED#<emailHmac>      SUPPRESSED               -
 *   audit entry        AUDIT#<campaignId|service>  <at>#<id>                AUDIT / <at>#<id>
 *   erasure marker     ERASED#<emailHmac>          ERASED                   -   (hash and time only; no TTL)
 *
 * `expiresAt` (epoch seconds) is the TTL attribute: every personal item carries one.
 *
 * Campaign item (functions/lib/campaigns/model.ts, adapters/dynamodb/campaign-repository.ts): id,
 * name, pollDate, nation, playbook, sendTime, timezone, status open|cancelled|closed, createdAt,
 * updatedAt, cancelledAt?, version (every write is conditional on it; a dispatch firing bumps it
 * too), steps {<stepKey>: {id, key, title, roles, templates, date, sendAt, sendAtUtc, epochMs,
 * position, status scheduled|due|sending|sent|skipped|cancelled, recipients?, version (the schedule version, in the
 * schedule's Input), scheduleName, firedAt?, sentAt?}}. One item, so a reschedule or cancel is one
 * conditional Put and a firing is one conditional Update on `steps.<key>`: no transactions. No TTL:
 * campaigns hold no personal data.
 *
 * Subscription item (functions/lib/subscriptions/model.ts): emailHmac, campaignId, email (kept only
 * to send; removed on unsubscribe), name?, role, status pending|confirmed|unsubscribed, source
 * (form|api|import|email-link|one-click|bounce|complaint), consentAt, createdAt, updatedAt, confirmedAt?,
 * unsubscribedAt?, pendingChange? {role, name?, requestedAt, source} (a confirmed subscriber's
 * re-sign-up, applied on confirmation), history [{at, event, source}] (last 10), version (guards
 * every write), expiresAt: 7 days after sign-up while pending; SUBSCRIPTION_RETENTION_DAYS after
 * the poll date once confirmed. emailHmac = HMAC-SHA256 of the trimmed, lower-cased address under
 * a key derived from the token secret.
 * Confirm throttle item: sentAt [epoch ms of the confirmation emails in the last 24 hours, at most
 * 3], version, expiresAt (24 hours after the last send).
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /**
   * The audience index: sparse (only confirmed subscriptions carry its keys) and narrow (it projects
   * just what a send needs), so the fan-out and the sender read ~250 bytes per recipient, not the
   * whole subscription with its history.
   */
  audience: {
    indexName: 'audience',
    partitionKey: 'audiencePk',
    sortKey: 'audienceSk',
    projected: ['emailHmac', 'email', 'name', 'role', 'status'],
  },
} as const;

export const keys = {
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  campaignsIndex: 'CAMPAIGNS',
  campaignsIndexSort: (pollDate: string, id: string) => `${pollDate}#${id}`,
  subscription: (emailHmac: string, campaignId: string) => ({
    pk: `SUB#${emailHmac}`,
    sk: `CAMPAIGN#${campaignId}`,
  }),
  subscriptionSkPrefix: 'CAMPAIGN#',
  /** The sparse audience index entry: present only while the subscription is confirmed. */
  audienceEntry: (campaignId: string, role: string, emailHmac: string) => ({
    audiencePk: `AUDIENCE#${campaignId}#${role}`,
    audienceSk: emailHmac,
  }),
  /** Confirmation emails sent for one address and campaign (each campaign has its own allowance). */
  confirmThrottle: (emailHmac: string, campaignId: string) => ({
    pk: `SUB#${emailHmac}`,
    sk: `THROTTLE#CONFIRM#${campaignId}`,
  }),
  /** One recipient's claim on one step: which claim holds them and since when (its call record says how it ended). */
  deliveryRecord: (campaignId: string, stepKey: string, emailHmac: string) => ({
    pk: `DELIVERY#${campaignId}#${stepKey}`,
    sk: emailHmac,
  }),
  /**
   * How one claim ended for each recipient it held (sent with the SES message id, failed or suppressed
   * with a reason, or free to retry). In the delivery partition; `#` never occurs in an emailHmac.
   */
  deliveryCall: (campaignId: string, stepKey: string, claimId: string) => ({
    pk: `DELIVERY#${campaignId}#${stepKey}`,
    sk: `CALL#${claimId}`,
  }),
  deliveryCallSkPrefix: 'CALL#',
  /** A step's delivery counts, the claims begun and not yet counted (`uncounted`), and dispatch cursors. */
  stepCounts: (campaignId: string, stepKey: string) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `STATS#${stepKey}`,
  }),
  /**
   * Admins added with `esr admins add`: one partition of their own, so no subscriber item mixes in
   * and a grant can name it exactly. Keyed by the normalised address (staff, not subscribers).
   */
  admin: (email: string) => ({ pk: 'ADMINS', sk: `ADMIN#${email}` }),
  adminsPartition: 'ADMINS',
  /** Console sessions and sign-in links, under the SHA-256 of their secret id (TTL on both). */
  consoleSession: (storedId: string) => ({ pk: `CONSOLE#SESSION#${storedId}`, sk: 'SESSION' }),
  consoleSignInLink: (storedId: string) => ({ pk: `CONSOLE#LINK#${storedId}`, sk: 'LINK' }),
  /** Sign-in emails sent to one address (its console hash) in the last hour. */
  consoleSignInThrottle: (emailHash: string) => ({ pk: `CONSOLE#THROTTLE#${emailHash}`, sk: 'THROTTLE' }),
  suppression: (emailHmac: string) => ({ pk: `SUPPRESSED#${emailHmac}`, sk: 'SUPPRESSED' }),
  /**
   * One audit entry: under its campaign (or `AUDIT#service` for actions on no campaign), sorted by
   * time, and on gsi1 under `AUDIT` for the newest entries of all. Expires (TTL) after the retention.
   */
  auditEntry: (campaignId: string | undefined, at: string, id: string) => ({
    pk: `AUDIT#${campaignId ?? 'service'}`,
    sk: `${at}#${id}`,
  }),
  auditPartition: (campaignId: string | undefined) => `AUDIT#${campaignId ?? 'service'}`,
  auditIndex: 'AUDIT',
  /**
   * An erased address (UK GDPR art. 17): the hash and when, nothing else, kept with no TTL so that
   * an import never invites the address again. A sign-up by the person is not blocked by it.
   */
  erasure: (emailHmac: string) => ({ pk: `ERASED#${emailHmac}`, sk: 'ERASED' }),
} as const;
