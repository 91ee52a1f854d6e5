using FastLog.MessageGenerator;

namespace FastLog.Protocol.Tests.Messages;

public class GeneratedCodeTests
{
    [Fact]
    public void Generated_code_is_up_to_date()
    {
        var result = Generator.Run(GeneratedMessages.RepositoryRoot, write: false);

        Assert.True(result.UpToDate, "run: dotnet run --project tools/FastLog.MessageGenerator\n" + string.Join('\n', result.Report));
    }

    [Fact]
    public void Every_definition_has_its_generated_type()
    {
        Assert.NotEmpty(GeneratedMessages.All);
        foreach (var message in GeneratedMessages.All)
        {
            Assert.NotNull(GeneratedMessages.TypeOf(message));
        }
    }
}
