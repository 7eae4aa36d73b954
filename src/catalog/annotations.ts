/** Annotations the generated objects carry for the tools that read them back. */

/**
 * The annotation of an AlertmanagerConfig that holds the time zones of its `muteTimeIntervals`, as
 * JSON: `{"<interval name>": "<IANA zone>"}`.
 */
export const TIME_INTERVAL_LOCATIONS_ANNOTATION = "ai-scaling-alerts/time-interval-locations";
