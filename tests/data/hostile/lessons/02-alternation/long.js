console.log('ab'.repeat(50000));
