-- keyhaven_assert: raises SQLSTATE `code` with `message` unless `condition` is true.
--
-- The audit group commit's one-round-trip form (PoolChainSql.appendGuarded, docs/audit.md)
-- sends its guards — the chain head and lease it expects, the cached-state versions its answers
-- relied on — pipelined with its writes, in one transaction. A guard that fails aborts that
-- transaction: every later statement fails and the COMMIT is answered as a rollback, so nothing
-- of the batch is written, and the writer takes the two-round-trip form (head lock first).
-- Codes: KH001 the head or lease moved, KH002 a cached-state version moved.
CREATE FUNCTION keyhaven_assert(condition boolean, code text, message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF condition IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
  END IF;
END
$$;
