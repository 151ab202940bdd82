//! Block Public Access, at the bucket (`PublicAccessBlock`) and account
//! (`AccountPublicAccessBlock`, copied into every bucket by the watcher) levels.

use crate::fields::{Fields, Keys};
use serde_json::Value;

/// One of the four Block Public Access settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Setting {
    /// Refuses new public ACLs.
    BlockPublicAcls,
    /// Makes S3 ignore every public ACL grant.
    IgnorePublicAcls,
    /// Refuses new public bucket policies.
    BlockPublicPolicy,
    /// Cuts a bucket with a public policy off from anyone outside the account and AWS services.
    RestrictPublicBuckets,
}

impl Setting {
    /// The four settings, in the order AWS lists them.
    pub(crate) const ALL: [Setting; 4] =
        [Self::BlockPublicAcls, Self::IgnorePublicAcls, Self::BlockPublicPolicy, Self::RestrictPublicBuckets];

    /// The setting's name, as AWS spells it.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::BlockPublicAcls => "BlockPublicAcls",
            Self::IgnorePublicAcls => "IgnorePublicAcls",
            Self::BlockPublicPolicy => "BlockPublicPolicy",
            Self::RestrictPublicBuckets => "RestrictPublicBuckets",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The four settings of one level: `None` when the watcher could not read them (the key is
/// missing), all off when the level has no configuration (null).
pub(crate) type Flags = Option<[bool; 4]>;

/// The Block Public Access settings in force for a bucket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PublicAccess {
    /// `PublicAccessBlock`.
    pub(crate) bucket: Flags,
    /// `AccountPublicAccessBlock`.
    pub(crate) account: Flags,
}

impl PublicAccess {
    /// Reads both levels: the bucket's `PublicAccessBlock` and the `AccountPublicAccessBlock`.
    pub(crate) fn read(bucket: Option<&Value>, account: Option<&Value>) -> Self {
        Self { bucket: flags(bucket), account: flags(account) }
    }

    /// The level that turns `setting` on, as notes name it (`PublicAccessBlock.RestrictPublicBuckets`),
    /// the bucket's first; `None` when neither does.
    pub(crate) fn blocked_by(&self, setting: Setting) -> Option<&'static str> {
        let on = |flags: Flags| flags.is_some_and(|f| f[setting.index()]);
        if on(self.bucket) {
            Some(match setting {
                Setting::BlockPublicAcls => "PublicAccessBlock.BlockPublicAcls",
                Setting::IgnorePublicAcls => "PublicAccessBlock.IgnorePublicAcls",
                Setting::BlockPublicPolicy => "PublicAccessBlock.BlockPublicPolicy",
                Setting::RestrictPublicBuckets => "PublicAccessBlock.RestrictPublicBuckets",
            })
        } else if on(self.account) {
            Some(match setting {
                Setting::BlockPublicAcls => "AccountPublicAccessBlock.BlockPublicAcls",
                Setting::IgnorePublicAcls => "AccountPublicAccessBlock.IgnorePublicAcls",
                Setting::BlockPublicPolicy => "AccountPublicAccessBlock.BlockPublicPolicy",
                Setting::RestrictPublicBuckets => "AccountPublicAccessBlock.RestrictPublicBuckets",
            })
        } else {
            None
        }
    }
}

fn flags(level: Option<&Value>) -> Flags {
    const NAMES: Keys<4> = Keys::new([
        Setting::BlockPublicAcls.name(),
        Setting::IgnorePublicAcls.name(),
        Setting::BlockPublicPolicy.name(),
        Setting::RestrictPublicBuckets.name(),
    ]);
    let level = Fields::read(level?, &NAMES);
    Some(Setting::ALL.map(|setting| level.get(setting.index()).and_then(Value::as_bool) == Some(true)))
}

/// The settings that are off in `flags`, as notes list them: `Missing: [IgnorePublicAcls, RestrictPublicBuckets]`.
pub(crate) fn missing_notes(off: impl Fn(Setting) -> bool) -> Option<String> {
    let mut missing = Setting::ALL.into_iter().filter(|s| off(*s)).map(Setting::name).peekable();
    missing.peek()?;
    let mut notes = String::from("Missing: [");
    for (index, name) in missing.enumerate() {
        if index > 0 {
            notes.push_str(", ");
        }
        notes.push_str(name);
    }
    notes.push(']');
    Some(notes)
}

/// Whether `setting` is on in `flags` (a level that was read).
pub(crate) fn is_on(flags: &[bool; 4], setting: Setting) -> bool {
    flags[setting.index()]
}
