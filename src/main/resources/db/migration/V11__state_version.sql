-- Versions of the state the hot path caches (issue 15, item 3; docs/performance.md, "Hot state").
--
-- A row per scope: 'k:<key_id>' (a key's row and its material versions), 'a:<alias_arn>' (an
-- alias), 'p:<principal_arn>' (an identity policy), 'c:<access_key_id>' (an access key). Every
-- insert, update or delete of a row in those tables bumps its scope's version in the same
-- transaction, by trigger — so no writer (Keyhaven, a migration, an operator's hand edit) can
-- change cached state without moving its version. A scope with no row has version 0. Rows are
-- never deleted: a version never goes back, even when its state is deleted and made again.
--
-- A request that answered from cached state records the (scope, version) pairs it relied on; the
-- transaction that makes its audit event durable compares them with this table first and, if any
-- moved, leaves the event out and sends the request back to be evaluated again with fresh state.
CREATE TABLE state_version (
    scope   varchar(420) PRIMARY KEY,
    version bigint       NOT NULL
);

CREATE FUNCTION state_version_bump(scope varchar) RETURNS void LANGUAGE sql AS $$
    INSERT INTO state_version AS v (scope, version) VALUES (scope, 1)
    ON CONFLICT (scope) DO UPDATE SET version = v.version + 1
$$;

-- The trigger's arguments: the scope prefix and the column that names the scope. An update that
-- moves a row to another scope bumps both.
CREATE FUNCTION state_version_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_scope varchar;
    old_scope varchar;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        new_scope := TG_ARGV[0] || (to_jsonb(NEW) ->> TG_ARGV[1]);
        PERFORM state_version_bump(new_scope);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_scope := TG_ARGV[0] || (to_jsonb(OLD) ->> TG_ARGV[1]);
        IF old_scope IS DISTINCT FROM new_scope THEN
            PERFORM state_version_bump(old_scope);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER kms_key_state_version AFTER INSERT OR UPDATE OR DELETE ON kms_key
    FOR EACH ROW EXECUTE FUNCTION state_version_changed('k:', 'key_id');
CREATE TRIGGER key_material_state_version AFTER INSERT OR UPDATE OR DELETE ON key_material
    FOR EACH ROW EXECUTE FUNCTION state_version_changed('k:', 'key_id');
CREATE TRIGGER kms_alias_state_version AFTER INSERT OR UPDATE OR DELETE ON kms_alias
    FOR EACH ROW EXECUTE FUNCTION state_version_changed('a:', 'alias_arn');
CREATE TRIGGER principal_policy_state_version AFTER INSERT OR UPDATE OR DELETE ON principal_policy
    FOR EACH ROW EXECUTE FUNCTION state_version_changed('p:', 'principal_arn');
CREATE TRIGGER access_key_state_version AFTER INSERT OR UPDATE OR DELETE ON access_key
    FOR EACH ROW EXECUTE FUNCTION state_version_changed('c:', 'access_key_id');
