namespace FastLog.Broker.Configuration;

/// <summary>A config's type, numbered as DescribeConfigs (v3+) reports it.</summary>
public enum ConfigType : byte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}
