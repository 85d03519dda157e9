use std::fmt;

/// A rule of the SPEC that an input or a transition broke. `message` is the Chinese sentence a
/// user reads: what is wrong and what to do. `field` names the input field when there is one,
/// so that forms can show the message next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainError {
    pub code: &'static str,
    pub message: String,
    pub rule: Option<&'static str>,
    pub field: Option<&'static str>,
}

impl DomainError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            rule: None,
            field: None,
        }
    }

    pub fn rule(mut self, rule: &'static str) -> Self {
        self.rule = Some(rule);
        self
    }

    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(rule) => write!(f, "{}（{}）", self.message, rule),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DomainError {}
