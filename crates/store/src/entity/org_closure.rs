use sea_orm::entity::prelude::*;

/// One row per (ancestor, descendant) pair, self included at depth 0: subtree queries are a
/// join on this table, never a recursive query.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ancestor: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub descendant: i64,
    pub depth: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
