//! The one table of inputs: every Northbound and Southbound table northflow
//! reads, declared once (`inputs!` below). From that declaration follow the
//! table names, the IR change type, the lowered state ingest keeps (so a
//! change retracts exactly what the row contributed), and the dataflow's
//! input sessions and collections. What a row lowers to is its
//! `northflow_passes::lower::Lower` implementation.

use std::collections::BTreeMap;
use std::sync::Arc;

use differential_dataflow::input::InputSession;
use differential_dataflow::VecCollection;
use northflow_ir::diag::Diagnostic;
use northflow_ir::row::Table;
use northflow_ir::{nb, sb, Uuid};
use northflow_ovsdb::Row;
use northflow_passes::lower::Lower;
use timely::dataflow::Scope;

/// A database northflow reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Db {
    Nb,
    Sb,
}

/// One input row change: `row: None` deletes the row, otherwise the row is
/// inserted or replaced by the complete new row.
#[derive(Clone, Debug, PartialEq)]
pub struct RowChange {
    pub table: Input,
    pub uuid: Uuid,
    pub row: Option<Row>,
}

impl RowChange {
    /// Every row of `tables` (a database's contents by table name) that is
    /// an input, as inserted: how a fresh compiler starts.
    pub fn inserts(db: Db, tables: &crate::sync::Tables) -> Vec<RowChange> {
        tables
            .iter()
            .filter_map(|(name, rows)| Some((Input::find(db, name)?, rows)))
            .flat_map(|(table, rows)| {
                rows.iter().map(move |(uuid, row)| RowChange {
                    table,
                    uuid: *uuid,
                    row: Some(row.clone()),
                })
            })
            .collect()
    }

    /// Like `inserts`, moving the rows out of `tables` instead of copying.
    pub fn take_inserts(db: Db, tables: crate::sync::Tables) -> Vec<RowChange> {
        tables
            .into_iter()
            .filter_map(|(name, rows)| Some((Input::find(db, &name)?, rows)))
            .flat_map(|(table, rows)| {
                rows.into_iter().map(move |(uuid, row)| RowChange {
                    table,
                    uuid,
                    row: Some(row),
                })
            })
            .collect()
    }

    /// The changes that turn `before` into `after` (two snapshots of
    /// `db`): rows that are new or differ are written, rows gone deleted.
    /// How an embedder that keeps whole snapshots feeds the compiler.
    pub fn diff(
        db: Db,
        before: &crate::sync::Tables,
        after: &crate::sync::Tables,
    ) -> Vec<RowChange> {
        let empty = std::collections::BTreeMap::new();
        let names: std::collections::BTreeSet<&String> =
            before.keys().chain(after.keys()).collect();
        let mut changes = Vec::new();
        for name in names {
            let Some(table) = Input::find(db, name) else {
                continue;
            };
            let (old, new) = (
                before.get(name).unwrap_or(&empty),
                after.get(name).unwrap_or(&empty),
            );
            for (uuid, row) in new {
                if old.get(uuid) != Some(row) {
                    changes.push(RowChange {
                        table,
                        uuid: *uuid,
                        row: Some(row.clone()),
                    });
                }
            }
            for uuid in old.keys().filter(|u| !new.contains_key(u)) {
                changes.push(RowChange {
                    table,
                    uuid: *uuid,
                    row: None,
                });
            }
        }
        changes
    }

    /// The change that writes `row` (typed) as it is.
    pub fn put<T: InputRow>(row: &T) -> RowChange {
        RowChange {
            table: T::INPUT,
            uuid: row.uuid(),
            row: Some(row.to_row()),
        }
    }

    /// The change that deletes row `uuid` of table `T`.
    pub fn delete<T: InputRow>(uuid: Uuid) -> RowChange {
        RowChange {
            table: T::INPUT,
            uuid,
            row: None,
        }
    }
}

/// A row type of an input table.
pub trait InputRow: Lower {
    const INPUT: Input;
}

/// Old and new IR of one row (either absent).
#[derive(Clone, Debug)]
pub struct Change<T> {
    pub old: Option<Arc<T>>,
    pub new: Option<Arc<T>>,
}

impl<T: differential_dataflow::Data> Change<T> {
    fn feed(self, session: &mut InputSession<u64, (Uuid, Arc<T>), isize>, uuid: Uuid) {
        if let Some(o) = self.old {
            session.remove((uuid, o));
        }
        if let Some(n) = self.new {
            session.insert((uuid, n));
        }
    }
}

/// Lowers a row change of table `T` against the IR it had.
fn lower_into<T: Lower>(
    state: &mut BTreeMap<Uuid, Arc<T::Ir>>,
    change: &RowChange,
    diags: &mut Vec<Diagnostic>,
) -> Option<Change<T::Ir>> {
    let new = change
        .row
        .as_ref()
        .and_then(|row| match T::from_row(change.uuid, row) {
            Ok(r) => r.lower(diags).map(Arc::new),
            Err(e) => {
                diags.push(Diagnostic::new(
                    T::TABLE,
                    change.uuid,
                    &e.column,
                    format!("{e}: row skipped"),
                ));
                None
            }
        });
    let old = match &new {
        Some(n) => state.insert(change.uuid, n.clone()),
        None => state.remove(&change.uuid),
    };
    (old != new).then_some(Change { old, new })
}

macro_rules! inputs {
    ($( $(#[$doc:meta])* $variant:ident($field:ident): $db:ident $row:ty, )*) => {
        /// An input table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Input {
            $($(#[$doc])* $variant,)*
        }

        impl Input {
            pub const ALL: &'static [Input] = &[$(Input::$variant,)*];

            pub fn db(self) -> Db {
                match self {
                    $(Input::$variant => Db::$db,)*
                }
            }

            /// The table's name in its schema.
            pub fn name(self) -> &'static str {
                match self {
                    $(Input::$variant => <$row as Table>::TABLE,)*
                }
            }

            pub fn find(db: Db, name: &str) -> Option<Input> {
                Input::ALL.iter().copied().find(|t| t.db() == db && t.name() == name)
            }
        }

        $(impl InputRow for $row {
            const INPUT: Input = Input::$variant;
        })*

        /// A change to the IR of one input row.
        #[derive(Clone, Debug)]
        pub enum IrChange {
            $($variant(Uuid, Change<<$row as Lower>::Ir>),)*
        }

        /// The IR of every input row, as last lowered.
        #[derive(Default)]
        pub struct IrState {
            $(pub $field: BTreeMap<Uuid, Arc<<$row as Lower>::Ir>>,)*
        }

        impl IrState {
            /// Lowers one row change; `None` when its IR did not change.
            pub fn lower(
                &mut self,
                change: &RowChange,
                diags: &mut Vec<Diagnostic>,
            ) -> Option<IrChange> {
                match change.table {
                    $(Input::$variant => lower_into::<$row>(&mut self.$field, change, diags)
                        .map(|c| IrChange::$variant(change.uuid, c)),)*
                }
            }
        }

        /// The dataflow's input sessions, one per table.
        pub struct Sessions {
            $($field: InputSession<u64, (Uuid, Arc<<$row as Lower>::Ir>), isize>,)*
        }

        /// The input collections: (row UUID, IR) per table.
        pub struct Collections<'s> {
            $(pub $field: VecCollection<'s, u64, (Uuid, Arc<<$row as Lower>::Ir>), isize>,)*
        }

        impl Default for Sessions {
            fn default() -> Sessions {
                Sessions {
                    $($field: InputSession::new(),)*
                }
            }
        }

        impl Sessions {
            pub fn collections<'s>(&mut self, scope: Scope<'s, u64>) -> Collections<'s> {
                Collections {
                    $($field: self.$field.to_collection(scope),)*
                }
            }

            pub fn apply(&mut self, change: IrChange) {
                match change {
                    $(IrChange::$variant(uuid, c) => c.feed(&mut self.$field, uuid),)*
                }
            }

            /// Closes the current step: everything fed so far is at `time - 1`.
            pub fn advance_to(&mut self, time: u64) {
                $(
                    self.$field.advance_to(time);
                    self.$field.flush();
                )*
            }
        }
    };
}

inputs! {
    LogicalSwitch(logical_switch): Nb nb::LogicalSwitch,
    LogicalSwitchPort(logical_switch_port): Nb nb::LogicalSwitchPort,
    LogicalRouter(logical_router): Nb nb::LogicalRouter,
    LogicalRouterPort(logical_router_port): Nb nb::LogicalRouterPort,
    LogicalRouterStaticRoute(logical_router_static_route): Nb nb::LogicalRouterStaticRoute,
    LogicalRouterPolicy(logical_router_policy): Nb nb::LogicalRouterPolicy,
    Nat(nat): Nb nb::Nat,
    GatewayChassis(gateway_chassis): Nb nb::GatewayChassis,
    HaChassisGroup(ha_chassis_group): Nb nb::HaChassisGroup,
    HaChassis(ha_chassis): Nb nb::HaChassis,
    Qos(qos): Nb nb::Qos,
    Dns(dns): Nb nb::Dns,
    DhcpOptions(dhcp_options): Nb nb::DhcpOptions,
    NbGlobal(nb_global): Nb nb::NbGlobal,
    AddressSet(address_set): Nb nb::AddressSet,
    Meter(meter): Nb nb::Meter,
    MeterBand(meter_band): Nb nb::MeterBand,
    Copp(copp): Nb nb::Copp,
    StaticMacBinding(static_mac_binding): Nb nb::StaticMacBinding,
    ChassisTemplateVar(chassis_template_var): Nb nb::ChassisTemplateVar,
    /// What each chassis of this availability zone supports.
    Chassis(chassis): Sb sb::Chassis,
}
