/**
 * Configuration versions: 1, 2, 3, … A save names the version it was based on (0 for the first); it
 * becomes the next version only while that is still the latest, so two managers editing at once cannot
 * overwrite each other: the second is told about the first's version instead. The config API's store,
 * the sheet-only add-on and the tests' fake API all count this one way.
 */

/**
 * The version a save based on `baseVersion` becomes, or `null` when `latest` has moved on (a conflict).
 * `latest` is the newest version kept, 0 when none was ever saved; `undefined` when no history is kept
 * at all (a sheet whose history was removed), which takes any base.
 */
export function nextVersion(latest: number | undefined, baseVersion: number): number | null {
  return latest === undefined || latest === baseVersion ? baseVersion + 1 : null;
}
