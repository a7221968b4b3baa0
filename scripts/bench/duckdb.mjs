// Run SQL statements (argv[2]) with DuckDB on two threads, for the benchmarks.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
await connection.run(process.argv[2]);
