/**
 * The Debian security tracker's JSON (https://security-tracker.debian.org/tracker/data/json), as
 * far as Patchboard reads it: `{ <source package>: { <CVE or TEMP id>: TrackerEntry } }`, written
 * by the tracker's bin/tracker_service.py, which drops empty fields (clean_dict) and orders both
 * levels by name (`ORDER BY sp.name, st.bug_name`). Loose: fields we do not use pass unchecked.
 */
import * as v from 'valibot';

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** A Debian source package name (Debian Policy 5.6.1); the advisory id embeds it. */
export const SourcePackage = /^[a-z0-9][a-z0-9+.-]{1,99}$/;
export const CveId = /^CVE-\d{4}-\d{4,}$/;
/** The tracker's ids for issues without a CVE: the Debian bug (or 0000000) and a hash of the description. */
export const TempId = /^TEMP-\d{7}-[0-9A-F]{6}$/;

export const TrackerRelease = v.looseObject({
  status: v.picklist(['resolved', 'open', 'undetermined'], 'status is resolved, open or undetermined'),
  /** `0`: never affected in this release. */
  fixed_version: v.optional(Text(256)),
  /** low, medium, high (`**` appended when taken from NVD), unimportant, not yet assigned, end-of-life. */
  urgency: v.optional(Text(64)),
  /** Why no DSA will be issued (e.g. "Minor issue"), and `postponed` / `ignored`. */
  nodsa: v.optional(Text(2000)),
  nodsa_reason: v.optional(Text(64)),
  /** The fix is queued for the release's next point release. */
  next_point_update: v.optional(v.boolean()),
  /** Versions in the archive now; changes with every upload, so it is left out of the content hash. */
  repositories: v.optional(v.record(v.string(), v.string())),
});
export type TrackerRelease = v.InferOutput<typeof TrackerRelease>;

const Codename = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,31}$/, 'a release is a codename such as bookworm'));

export const TrackerEntry = v.looseObject(
  {
    description: v.optional(Text(100_000)),
    scope: v.optional(Text(32)),
    debianbug: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    // A Python dict left empty is written as {}; some producers write [] for "no releases".
    releases: v.pipe(
      v.unknown(),
      v.transform((releases) => (Array.isArray(releases) && releases.length === 0 ? {} : releases)),
      v.record(Codename, TrackerRelease, 'releases is an object of codenames'),
    ),
  },
  'an entry is an object with releases',
);
export type TrackerEntry = v.InferOutput<typeof TrackerEntry>;
