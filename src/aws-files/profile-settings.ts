import type {IniFile, IniSection} from './ini.js';

// What AwsFiles works out of a profile once and keeps, so that resolving 10,000 profiles (`awsmfa profiles`) costs
// each setting one lookup: its settings merged as locate finds them, and what is derived from them alone.

/** A setting of a profile and the file it is in; its origin (for a message) spelled out only when asked for. */
export class SettingFound {
  constructor(readonly value: string, private readonly key: string, private readonly profile: string, private readonly path: string) {}

  get origin(): string {
    return `${this.key} of profile '${this.profile}' in ${this.path}`;
  }
}

/** A profile's settings by key: the credentials file's where not empty, else the config file's. */
export type ProfileSettings = ReadonlyMap<string, SettingFound>;

/** One file's section of a profile, with the file (for its [DEFAULT]) and its path (for origins). */
interface Layer {
  readonly file: IniFile | undefined;
  readonly section: IniSection | undefined;
  readonly path: string;
}

/**
 * The profile's settings as botocore merges them: the config file's, then the credentials file's over them key by key.
 * Within a file a section's keys are valuesOf's (its own, else [DEFAULT]'s); an empty value is no setting (locate's
 * rule), and hides [DEFAULT]'s of the same file only.
 */
export function mergeSettings(profile: string, config: Layer, credentials: Layer): ProfileSettings {
  const merged = new Map<string, SettingFound>();
  for (const {file, section, path} of [config, credentials]) {
    if (file === undefined || section === undefined)
      continue;
    for (const entry of file.defaults) {
      if (entry.value !== `` && !section.entries.some(own => own.key === entry.key))
        merged.set(entry.key, new SettingFound(entry.value, entry.key, profile, path));
    }
    for (const entry of section.entries) {
      if (entry.value !== ``)
        merged.set(entry.key, new SettingFound(entry.value, entry.key, profile, path));
    }
  }
  return merged;
}

/** What Derived keeps of a computation that threw: the error, thrown again to each caller. */
class Failed {
  constructor(readonly error: unknown) {}
}

/**
 * Values computed once per profile, by the function that computes them (called with `of` and the profile, so that
 * asking allocates nothing), their errors kept too: for what depends only on the files, which do not change once read.
 */
export class Derived<Of> {
  private readonly known = new Map<unknown, Map<string, unknown>>();

  constructor(private readonly of: Of) {}

  get<T>(compute: (of: Of, profile: string) => T, profile: string): T {
    let known = this.known.get(compute);
    if (known === undefined)
      this.known.set(compute, known = new Map());
    let found = known.get(profile);
    if (found === undefined && !known.has(profile)) {
      try {
        found = compute(this.of, profile);
      } catch (error) {
        found = new Failed(error);
      }
      known.set(profile, found);
    }
    if (found instanceof Failed)
      throw found.error;
    return found as T;
  }
}
