/** The stable codes of schedule problems (exported as `SCHEDULE_CODES`). */
export const SCHEDULE_CODES = {
  /** The expression is empty. */
  empty: "SL_SCHEDULE_EMPTY",
  /** Not `cron(…)`, `rate(…)` or `at(…)`, and not recognisable as one. */
  unknownForm: "SL_SCHEDULE_UNKNOWN_FORM",
  /** A cron, rate or at expression without its `cron(`/`rate(`/`at(` wrapper. */
  missingWrapper: "SL_SCHEDULE_MISSING_WRAPPER",
  /** A Unix five-field cron expression (or `@daily`-style macro). */
  unixCron: "SL_SCHEDULE_UNIX_CRON",
  /** A Quartz expression with a seconds field. */
  secondsField: "SL_SCHEDULE_SECONDS_FIELD",
  /** Not six fields. */
  fieldCount: "SL_SCHEDULE_FIELD_COUNT",
  /** A field AWS cannot read. */
  fieldSyntax: "SL_SCHEDULE_FIELD_SYNTAX",
  /** A value outside its field's range (day-of-week 0, hour 24, …). */
  fieldRange: "SL_SCHEDULE_FIELD_RANGE",
  /** A step of 0 or beyond the field. */
  step: "SL_SCHEDULE_STEP",
  /** `?` outside the day fields. */
  questionMark: "SL_SCHEDULE_QUESTION_MARK",
  /** Day-of-month and day-of-week both set, or both `?`. */
  dayFields: "SL_SCHEDULE_DAY_FIELDS",
  /** `L`, `W` or `#` in a field that does not take it. */
  wildcardField: "SL_SCHEDULE_WILDCARD_FIELD",
  /** `L`, `W`, `#` or `?` inside a list or range. */
  specialInList: "SL_SCHEDULE_SPECIAL_IN_LIST",
  /** A rate value that is not a positive whole number. */
  rateValue: "SL_SCHEDULE_RATE_VALUE",
  /** A rate unit that is unknown, or singular/plural the wrong way. */
  rateUnit: "SL_SCHEDULE_RATE_UNIT",
  /** An at() time not written yyyy-mm-ddThh:mm:ss, or not a real date. */
  atFormat: "SL_SCHEDULE_AT_FORMAT",
  /** at() on EventBridge rules, which only take cron and rate. */
  atNeedsScheduler: "SL_SCHEDULE_AT_NEEDS_SCHEDULER",
  /** An unknown IANA time zone. */
  timezone: "SL_SCHEDULE_TIMEZONE",
  /** A time zone on EventBridge rules, which run in UTC only. */
  timezoneNeedsScheduler: "SL_SCHEDULE_TIMEZONE_NEEDS_SCHEDULER",
  /** An expression that names no time that exists (e.g. 30 February). */
  neverFires: "SL_SCHEDULE_NEVER_FIRES",
  /** Bad options to nextFireTimes (from, count, start). */
  options: "SL_SCHEDULE_OPTIONS",
} as const;
