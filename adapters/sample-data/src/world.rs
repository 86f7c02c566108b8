//! Everything a provider generator needs to know about a run: the plan, who is where
//! ([`Population`]), the people ([`People`]) and the snapshot day.

use chrono::NaiveDate;

use crate::error::PlanError;
use crate::people::People;
use crate::plan::{Plan, Provider, SNAPSHOT};
use crate::population::Population;

/// One run's shared, read-only state.
#[derive(Debug, Clone)]
pub struct World {
    /// The plan.
    pub plan: Plan,
    /// Who is at which provider.
    pub population: Population,
    /// Person builder.
    pub people: People,
    /// The day the data describes.
    pub snapshot: NaiveDate,
}

impl World {
    /// Validate the plan and lay out its people.
    ///
    /// # Errors
    /// The plan is invalid.
    pub fn new(plan: &Plan) -> Result<Self, PlanError> {
        plan.validate()?;
        let population = Population::new(plan);
        let people = People::new(plan.seed);
        let needed = population.total + population.extra_members;
        if needed > people.capacity() {
            return Err(PlanError::TooManyParticipants {
                asked: plan.participants,
                max: people.capacity(),
            });
        }
        let (y, m, d) = SNAPSHOT;
        Ok(Self {
            plan: plan.clone(),
            population,
            people,
            snapshot: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        })
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.plan.seed
    }

    /// People at `provider`, in person order.
    pub fn members(&self, provider: Provider) -> impl Iterator<Item = u64> + '_ {
        (0..self.population.total).filter(move |i| self.population.is_at(*i, provider))
    }

    /// Whether person `i` is at two or more providers.
    pub fn is_shared(&self, i: u64) -> bool {
        self.population.mask(i).count_ones() >= 2
    }
}
