/** The enumerations of spec sections 2 to 4. */
export const CLASSES = ['serverless', 'container', 'managed-etl', 'dedicated-compute'] as const;
export const NETWORKS = ['public-egress', 'private-vpc', 'privatelink', 'vpn', 'on-premise-agent'] as const;
export const LOCATIONS = ['public-internet', 'cloud-private', 'partner-network', 'on-premise'] as const;
export const PHASES = ['ingestion', 'normalization', 'kpi-materialization', 'publish', 'orchestration'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
