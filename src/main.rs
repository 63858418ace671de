//! The `northflow` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use northflow::sync::Tables;
use northflow::{Compiler, Db, RowChange};
use northflow_ovsdb::Client;

// Compiling is allocation-heavy (rows, strings, dataflow batches); mimalloc
// cuts the allocator's share markedly over glibc's. The library leaves the
// choice to its embedder.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "northflow",
    version,
    about = "OVN Northbound → Southbound compiler (ovn-northd replacement)"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Northbound database remote (unix:PATH or tcp:HOST:PORT).
    #[arg(long = "ovnnb-db", global = true)]
    ovnnb_db: Option<String>,
    /// Southbound database remote (unix:PATH or tcp:HOST:PORT).
    #[arg(long = "ovnsb-db", global = true)]
    ovnsb_db: Option<String>,
    /// Compute and write the Southbound once, then exit.
    #[arg(long)]
    once: bool,
    /// With --once: how long to wait (seconds) for another northd to
    /// release the Southbound lock `ovn_northd` before giving up.
    #[arg(long, default_value_t = northflow::once::LOCK_WAIT.as_secs())]
    lock_wait: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a Northbound and print its logical flows.
    Compile {
        /// A remote (unix:PATH, tcp:HOST:PORT) or a standalone database file.
        nb: Option<String>,
        /// Compile a built-in example topology instead.
        #[arg(long, value_enum)]
        example: Option<Example>,
        /// Nodes of the ovnk-cluster and ovnk-zone examples.
        #[arg(long, default_value_t = 3, requires = "example")]
        nodes: u32,
        /// Pods per node of the ovnk-cluster and ovnk-zone examples.
        #[arg(long, default_value_t = 3, requires = "example")]
        pods: u32,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The text of `ovn-sbctl lflow-list`.
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Example {
    /// One ovn-kubernetes node switch with its management port and pods.
    #[value(name = "ovnk-node")]
    Node,
    /// An ovn-kubernetes cluster (local gateway mode) in one Northbound:
    /// the cluster router and join switch, and per node its switch, pods,
    /// gateway router and external switch, routes and policies.
    #[value(name = "ovnk-cluster")]
    Cluster,
    /// The first node's interconnect zone of such a cluster: its own
    /// switch and gateway router, the transit switch with the other
    /// nodes' remote ports, and routes to their subnets.
    #[value(name = "ovnk-zone")]
    Zone,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match (&cli.command, cli.once) {
        (
            Some(Command::Compile {
                nb,
                example,
                nodes,
                pods,
                format,
            }),
            _,
        ) => compile(nb.as_deref(), example.map(|e| (e, *nodes, *pods)), *format),
        (None, true) => match (&cli.ovnnb_db, &cli.ovnsb_db) {
            (Some(nb), Some(sb)) => once(nb, sb, Duration::from_secs(cli.lock_wait)),
            _ => Err("--once needs --ovnnb-db and --ovnsb-db".to_owned()),
        },
        (None, false) => {
            Err("nothing to do: give a subcommand or --once (the daemon comes later)".to_owned())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("northflow: {e}");
            ExitCode::FAILURE
        }
    }
}

fn is_remote(s: &str) -> bool {
    s.starts_with("unix:") || s.starts_with("tcp:")
}

fn read_nb(nb: &str) -> Result<Tables, String> {
    if is_remote(nb) {
        let (client, _) = Client::connect(nb).map_err(|e| format!("{nb}: {e}"))?;
        let replica = client
            .snapshot("OVN_Northbound", None)
            .map_err(|e| format!("{nb}: {e}"))?;
        Ok(replica.tables().clone())
    } else {
        let replica =
            northflow_ovsdb::dbfile::read(&PathBuf::from(nb)).map_err(|e| e.to_string())?;
        // Another database's file would "compile" to nothing.
        let name = &replica.schema().name;
        if name != "OVN_Northbound" {
            return Err(format!(
                "{nb}: a database file of {name:?}, not of OVN_Northbound"
            ));
        }
        Ok(replica.into_tables())
    }
}

fn compiled(tables: &Tables) -> Compiler {
    let mut compiler = Compiler::new();
    compiler.load(RowChange::inserts(Db::Nb, tables));
    for d in compiler.diagnostics() {
        eprintln!("northflow: warning: {d}");
    }
    compiler
}

/// An example and its size (nodes, pods per node).
type ExampleOf = (Example, u32, u32);

fn compile(nb: Option<&str>, example: Option<ExampleOf>, format: Format) -> Result<(), String> {
    let tables = match (nb, example) {
        (Some(nb), None) => read_nb(nb)?,
        (None, Some((Example::Node, _, _))) => northflow::examples::ovnk_node(),
        (None, Some((Example::Cluster, nodes, pods))) => {
            northflow::examples::ovnk_cluster(nodes, pods)
        }
        (None, Some((Example::Zone, nodes, pods))) => northflow::examples::ovnk_zone(nodes, pods),
        _ => return Err("compile needs exactly one of NB or --example".to_owned()),
    };
    let compiler = compiled(&tables);
    match format {
        Format::Text => write_out(&compiler.image().lflow_list()),
        Format::Json => write_out(&format!("{:#}\n", compiler.image().lflows_json())),
    }
}

fn once(nb: &str, sb: &str, lock_wait: Duration) -> Result<(), String> {
    let report = northflow::once::run(nb, sb, lock_wait).map_err(|e| e.to_string())?;
    for d in &report.diagnostics {
        eprintln!("northflow: warning: {d}");
    }
    Ok(())
}

/// Writes `text` to stdout; a reader that went away (`| head`) is no error.
fn write_out(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}
