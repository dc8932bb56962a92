/**
 * The one DynamoDB table (single-table design). The CDK app and the local stack both build the table
 * from these names, so they cannot drift. Key design (see README "Data"):
 *
 *   item               pk                          sk                       gsi1pk / gsi1sk
 *   campaign           CAMPAIGN#<id>               CAMPAIGN                 CAMPAIGNS / <pollDate>#<id>
 *   campaign step      CAMPAIGN#<id>               STEP#<key>               -
 *   subscription       SUB#<emailHmac>             CAMPAIGN#<campaignId>    AUDIENCE#<campaignId>#<role> / <emailHmac>
 *                                                                           (set only while confirmed: a sparse index)
 *   send throttle      SUB#<emailHmac>             THROTTLE#<yyyy-mm-dd>    -
 *   delivery record    DELIVERY#<campaignId>#<step> <emailHmac>             -
 *   suppression        SUPPRESSED#<emailHmac>      SUPPRESSED               -
 *
 * `expiresAt` (epoch seconds) is the TTL attribute: every personal item carries one.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

export const keys = {
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  campaignStep: (id: string, stepKey: string) => ({ pk: `CAMPAIGN#${id}`, sk: `STEP#${stepKey}` }),
  campaignsIndex: 'CAMPAIGNS',
} as const;
