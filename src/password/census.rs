//! Counting stored hashes by scheme and parameters, for audits of whole user
//! tables: parsing only, no KDF runs, in parallel.

use std::collections::HashMap;

use rayon::prelude::*;

use super::spec::Param;

/// A scheme name with its parameters, as `describe` reports them.
pub type Description = (String, Vec<(&'static str, Param)>);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// How many hashes share each description.
    pub counts: HashMap<Description, u64>,
    /// Each distinct parse error, with how many hashes gave it and the first few indices.
    pub errors: HashMap<String, (u64, Vec<usize>)>,
}

/// Indices kept per distinct error: enough to find examples, bounded for huge inputs.
pub const ERROR_EXAMPLES: usize = 10;

impl Census {
    fn add(mut self, index: usize, stored: &str) -> Census {
        match super::parse(stored) {
            Ok(hash) => *self.counts.entry(super::describe(&hash)).or_default() += 1,
            Err(err) => {
                let entry = self.errors.entry(err.to_string()).or_default();
                entry.0 += 1;
                if entry.1.len() < ERROR_EXAMPLES {
                    entry.1.push(index);
                }
            }
        }
        self
    }

    fn merge(mut self, other: Census) -> Census {
        for (description, n) in other.counts {
            *self.counts.entry(description).or_default() += n;
        }
        for (message, (n, examples)) in other.errors {
            let entry = self.errors.entry(message).or_default();
            entry.0 += n;
            entry.1.extend(examples);
            entry.1.sort_unstable();
            entry.1.truncate(ERROR_EXAMPLES);
        }
        self
    }
}

/// Parse every stored hash and count them by description.
pub fn census<S: AsRef<str> + Sync>(hashes: &[S]) -> Census {
    hashes
        .par_iter()
        .enumerate()
        .fold(Census::default, |census, (i, stored)| {
            census.add(i, stored.as_ref())
        })
        .reduce(Census::default, Census::merge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_description_and_keeps_error_examples() {
        let mut hashes =
            vec!["$2b$12$abcdefghijklmnopqrstuuFDJRuYeKkCzo3Wy7h8SxhBSHBAHiPK2".to_string(); 5];
        hashes.push("pbkdf2:sha256:1000$salt$00".into());
        for _ in 0..30 {
            hashes.push("garbage".into());
        }
        let result = census(&hashes);
        assert_eq!(result.counts.len(), 2);
        let bcrypt_count = result
            .counts
            .iter()
            .find(|((name, _), _)| name == "bcrypt")
            .map(|(_, n)| *n);
        assert_eq!(bcrypt_count, Some(5));
        let (n, examples) = result.errors.values().next().unwrap();
        assert_eq!(*n, 30);
        assert_eq!(examples, &(6..16).collect::<Vec<_>>());
    }
}
