explain --bogus
