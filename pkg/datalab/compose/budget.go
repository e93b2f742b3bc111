package compose

// EducatesCustomBudget is the Educates namespace budget that creates no
// ResourceQuota or LimitRange: a session namespace's budget comes from the
// policy step's objects, which follow the operator's current setting
// (Educates' own would be fixed when the session starts).
const EducatesCustomBudget = "custom"
