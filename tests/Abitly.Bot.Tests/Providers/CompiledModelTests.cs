using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Abitly.Bot.Tests.Providers;

/// <summary>
/// The compiled EF models (Data/CompiledModels) are what both providers run on, and they still match the entity
/// configurations: a changed entity or configuration without a regenerated compiled model fails here (the README's
/// "Schema changes" says the command). No database is opened: the models are compared in memory.
/// </summary>
public sealed class CompiledModelTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Postgres, DatabaseProvider.Sqlite];

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_context_runs_on_the_compiled_model(DatabaseProvider provider)
    {
        using var db = Open(provider);

        var compiled = provider == DatabaseProvider.Postgres
            ? Data.CompiledModels.Postgres.AbitlyDbContextModel.Instance
            : Data.CompiledModels.Sqlite.SqliteAbitlyDbContextModel.Instance;
        Assert.Same(compiled, db.Model);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_compiled_model_has_the_tables_and_columns_the_configurations_build(DatabaseProvider provider)
    {
        using var db = Open(provider);
        var fromConfigurations = FromConfigurations(db);

        // The migrations' differ cannot compare these: it needs design-time models, and a compiled model is a runtime one.
        // Both runtime relational models are compared instead, object by object.
        AssertCurrent(provider, Tables(fromConfigurations.GetRelationalModel()), Tables(db.Model.GetRelationalModel()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_compiled_model_has_the_entities_properties_conversions_and_navigations_the_configurations_build(DatabaseProvider provider)
    {
        using var db = Open(provider);
        var fromConfigurations = FromConfigurations(db);

        // What the differ does not see: CLR types, value converters, navigations, value generation, access modes.
        AssertCurrent(provider, Shape(fromConfigurations), Shape(db.Model));
    }

    /// <summary>Fails with what differs and the command that regenerates the provider's compiled model.</summary>
    private static void AssertCurrent(DatabaseProvider provider, List<string> fromConfigurations, List<string> compiled)
    {
        if (fromConfigurations.SequenceEqual(compiled))
        {
            return;
        }

        var (context, folder) = provider == DatabaseProvider.Postgres ? ("AbitlyDbContext", "Postgres") : ("SqliteAbitlyDbContext", "Sqlite");
        Assert.Fail(
            $"The compiled {folder} model is out of date. Regenerate it (README, \"Schema changes\"):{Environment.NewLine}"
            + $"  dotnet ef dbcontext optimize --project src/Abitly.Bot --context {context} --output-dir Data/CompiledModels/{folder} --namespace Abitly.Bot.Data.CompiledModels.{folder}{Environment.NewLine}"
            + $"From the configurations only:{Environment.NewLine}{string.Join(Environment.NewLine, fromConfigurations.Except(compiled))}{Environment.NewLine}"
            + $"In the compiled model only:{Environment.NewLine}{string.Join(Environment.NewLine, compiled.Except(fromConfigurations))}");
    }

    /// <summary>A context on a connection string that is never opened.</summary>
    private static AbitlyDbContext Open(DatabaseProvider provider) =>
        Database.Open(provider, provider == DatabaseProvider.Postgres ? "Host=127.0.0.1;Port=1;Database=never_opened" : "Data Source=:memory:");

    /// <summary>The runtime model EF builds from the configurations (OnModelCreating) for this context, compiled model aside.</summary>
    private static IModel FromConfigurations(AbitlyDbContext db) =>
        db.GetService<IModelSource>().GetModel(db, db.GetService<ModelCreationDependencies>(), designTime: false);

    /// <summary>One line per table, column, key, foreign key, index and sequence, in a stable order.</summary>
    private static List<string> Tables(IRelationalModel model)
    {
        var lines = new List<string>();
        foreach (var table in model.Tables.OrderBy(t => t.SchemaQualifiedName, StringComparer.Ordinal))
        {
            lines.Add($"table {table.SchemaQualifiedName}");
            lines.AddRange(table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  column {c.Name} {c.StoreType} nullable {c.IsNullable}"));
            lines.Add($"  primary key {table.PrimaryKey?.Name} {Columns(table.PrimaryKey?.Columns ?? [])}");
            lines.AddRange(table.UniqueConstraints.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => $"  unique {u.Name} {Columns(u.Columns)}"));
            lines.AddRange(table.ForeignKeyConstraints.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f =>
                $"  foreign key {f.Name} {Columns(f.Columns)} → {f.PrincipalTable.SchemaQualifiedName}{Columns(f.PrincipalColumns)} on delete {f.OnDeleteAction}"));
            lines.AddRange(table.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"  index {i.Name} {Columns(i.Columns)} unique {i.IsUnique}"));
        }

        lines.AddRange(model.Sequences.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"sequence {s.Schema}.{s.Name} {s.Type.Name}"));
        return lines;

        static string Columns(IEnumerable<IColumn> columns) => "(" + string.Join(", ", columns.Select(c => c.Name)) + ")";
    }

    /// <summary>One line per entity type, property, key, foreign key, navigation and index, in a stable order.</summary>
    private static List<string> Shape(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            lines.Add($"{entity.Name} table {entity.GetSchemaQualifiedTableName()} base {entity.BaseType?.Name}");
            lines.AddRange(entity.GetProperties().Select(p =>
                $"  {p.Name}: {p.ClrType.Name} nullable {p.IsNullable} column {p.GetColumnName()} {p.GetRelationalTypeMapping().StoreType} "
                + $"converter {p.GetValueConverter()?.GetType().Name} provider {p.GetProviderClrType()?.Name} generated {p.ValueGenerated} "
                + $"concurrency {p.IsConcurrencyToken} max {p.GetMaxLength()} precision {p.GetPrecision()},{p.GetScale()} "
                + $"field {p.FieldInfo?.Name} access {p.GetPropertyAccessMode()}"));
            lines.AddRange(entity.GetKeys().Select(k => $"  key {Names(k.Properties)} primary {k.IsPrimaryKey()}"));
            lines.AddRange(entity.GetForeignKeys().Select(f =>
                $"  foreign key {Names(f.Properties)} → {f.PrincipalEntityType.Name}{Names(f.PrincipalKey.Properties)} "
                + $"{f.DeleteBehavior} unique {f.IsUnique} required {f.IsRequired} "
                + $"navigations {f.DependentToPrincipal?.Name}/{f.PrincipalToDependent?.Name}"));
            lines.AddRange(entity.GetNavigations().Select(n => $"  navigation {n.Name} → {n.TargetEntityType.Name} collection {n.IsCollection}"));
            lines.AddRange(entity.GetSkipNavigations().Select(n => $"  skip navigation {n.Name} → {n.TargetEntityType.Name}"));
            lines.AddRange(entity.GetIndexes().Select(i => $"  index {i.GetDatabaseName()} {Names(i.Properties)} unique {i.IsUnique}"));
        }

        return lines;

        static string Names(IEnumerable<IReadOnlyProperty> properties) => "(" + string.Join(", ", properties.Select(p => p.Name)) + ")";
    }
}
